"""Writes src/__fixtures__/torch-sgd.json: three steps of torch.optim.SGD (momentum, weight decay on weights
only) on a 3-2-2 ReLU MLP with mean cross-entropy, in float64. Run with Debian's python3 (torch 1.13):
    /usr/bin/python3 packages/training/scripts/make-torch-sgd-fixture.py
All constants are exact in float32, so the float64 reference backend must match to round-off."""
import json
import pathlib

import torch

torch.set_default_dtype(torch.float64)
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 2.0, 1.0], [0.75, 0.5, -1.25]])
labels = torch.tensor([0, 1, 1, 0])
init = {
    "dense1.weight": [[0.375, -0.25, 0.125], [-0.5, 0.625, 0.25]],
    "dense1.bias": [0.125, -0.0625],
    "dense2.weight": [[0.75, -0.375], [-0.25, 0.875]],
    "dense2.bias": [0.03125, -0.015625],
}
lr, momentum, weight_decay, steps = 0.125, 0.75, 0.0625, 3

w1 = torch.nn.Parameter(torch.tensor(init["dense1.weight"]))
b1 = torch.nn.Parameter(torch.tensor(init["dense1.bias"]))
w2 = torch.nn.Parameter(torch.tensor(init["dense2.weight"]))
b2 = torch.nn.Parameter(torch.tensor(init["dense2.bias"]))
optimizer = torch.optim.SGD(
    [{"params": [w1, w2], "weight_decay": weight_decay}, {"params": [b1, b2], "weight_decay": 0.0}],
    lr=lr,
    momentum=momentum,
)
losses = []
for _ in range(steps):
    optimizer.zero_grad()
    logits = torch.relu(x @ w1.T + b1) @ w2.T + b2
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    losses.append(loss.item())

names = {"dense1.weight": w1, "dense1.bias": b1, "dense2.weight": w2, "dense2.bias": b2}
fixture = {
    "torch": torch.__version__,
    "x": x.tolist(),
    "labels": labels.tolist(),
    "init": init,
    "lr": lr,
    "momentum": momentum,
    "weightDecay": weight_decay,
    "steps": steps,
    "losses": losses,
    "params": {k: v.detach().flatten().tolist() for k, v in names.items()},
    "velocities": {k: optimizer.state[v]["momentum_buffer"].flatten().tolist() for k, v in names.items()},
}
out = pathlib.Path(__file__).resolve().parent.parent / "src" / "__fixtures__" / "torch-sgd.json"
out.write_text(json.dumps(fixture, indent=1) + "\n")
print(f"wrote {out}")
