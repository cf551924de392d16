"""Writes src/__fixtures__/torch-{mlp,cnn}.onnx (torch.onnx.export, opset 13) and torch-layers.json (each layer's
weight W as PyTorch holds it, [out, in] or [C_out, C_in, kh, kw], flattened), so tests can check that findLayers
reads imported graphs with the right layout. Run with Debian's python3 (torch 1.13):
    /usr/bin/python3 packages/models/scripts/make-torch-onnx-fixtures.py"""
import json
import pathlib

import torch

out = pathlib.Path(__file__).resolve().parent.parent / "src" / "__fixtures__"
torch.manual_seed(0)
mlp = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(12, 6), torch.nn.ReLU(), torch.nn.Linear(6, 3))
cnn = torch.nn.Sequential(
    torch.nn.Conv2d(1, 4, 3, padding=1),
    torch.nn.ReLU(),
    torch.nn.MaxPool2d(2),
    torch.nn.Flatten(),
    torch.nn.Linear(16, 5, bias=False),
    torch.nn.ReLU(),
    torch.nn.Linear(5, 3),
)
layers = {}
for name, model, shape in [("mlp", mlp, (2, 1, 3, 4)), ("cnn", cnn, (2, 1, 4, 4))]:
    torch.onnx.export(
        model.eval(),
        torch.zeros(*shape),
        str(out / f"torch-{name}.onnx"),
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}},
        opset_version=13,
    )
    layers[name] = [
        {"shape": list(m.weight.shape), "weight": m.weight.detach().flatten().tolist(), "bias": m.bias is not None}
        for m in model
        if isinstance(m, (torch.nn.Linear, torch.nn.Conv2d))
    ]
(out / "torch-layers.json").write_text(json.dumps({"torch": torch.__version__, **layers}) + "\n")
print(f"wrote fixtures to {out}")
