"""Writes the PyTorch-exported ONNX fixtures of the importer tests (src/import/__fixtures__).

Run with Debian's /usr/bin/python3 (python3-torch 1.13): /usr/bin/python3 scripts/make-torch-fixtures.py
Each model: <name>.onnx plus <name>.json holding the input and the expected output (float32 values as lists).
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "import", "__fixtures__")


class SmallCnn(torch.nn.Module):
    """Conv-BN-ReLU-MaxPool, Conv-HardSigmoid-AvgPool, Flatten, Dropout, Linear-LeakyReLU, Linear, LogSoftmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = torch.nn.BatchNorm2d(4)
        self.conv2 = torch.nn.Conv2d(4, 6, 3, stride=2, padding=1, bias=False)
        self.drop = torch.nn.Dropout(0.3)
        self.fc1 = torch.nn.Linear(6, 16)
        self.fc2 = torch.nn.Linear(16, 3)

    def forward(self, x):
        h = torch.nn.functional.max_pool2d(torch.relu(self.bn1(self.conv1(x))), 2)
        h = torch.nn.functional.avg_pool2d(torch.nn.functional.hardsigmoid(self.conv2(h)), 2)
        h = self.drop(torch.flatten(h, 1))
        h = torch.nn.functional.leaky_relu(self.fc1(h), 0.1)
        return torch.log_softmax(self.fc2(h), dim=1)


class Mlp(torch.nn.Module):
    """Reshape of a [N, 1, 4, 4] input (view → Shape/Gather/Concat chains), Linear-Tanh, clamp, Sigmoid."""

    def __init__(self):
        super().__init__()
        self.dense1 = torch.nn.Linear(16, 8)
        self.dense2 = torch.nn.Linear(8, 5)

    def forward(self, x):
        h = torch.tanh(self.dense1(x.view(x.shape[0], -1)))
        return torch.sigmoid(self.dense2(torch.clamp(h, -0.5, 0.5)))


class TinyResNet(torch.nn.Module):
    """Stem conv-BN-ReLU, one residual block (conv-BN-ReLU-conv-BN + skip), global average pool, dense."""

    def __init__(self):
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, padding=1, bias=False)
        self.bn0 = torch.nn.BatchNorm2d(8)
        self.conv1 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(8)
        self.conv2 = torch.nn.Conv2d(8, 8, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(8)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        h = torch.relu(self.bn0(self.stem(x)))
        r = self.bn2(self.conv2(torch.relu(self.bn1(self.conv1(h)))))
        h = torch.relu(h + r)
        return self.fc(torch.flatten(torch.nn.functional.adaptive_avg_pool2d(h, 1), 1))


def export(name, model, x, opset, dynamic):
    model.eval()
    with torch.no_grad():
        # Non-trivial batch-norm statistics so the running mean and variance matter.
        for m in model.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 1.5)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
        y = model(x)
    path = os.path.join(OUT, f"{name}.onnx")
    axes = {"x": {0: "batch"}, "y": {0: "batch"}} if dynamic else None
    torch.onnx.export(model, x, path, input_names=["x"], output_names=["y"], opset_version=opset, dynamic_axes=axes, training=torch.onnx.TrainingMode.PRESERVE)
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"opset": opset, "x": {"shape": list(x.shape), "data": x.flatten().tolist()}, "y": {"shape": list(y.shape), "data": y.flatten().tolist()}}, f)


if __name__ == "__main__":
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    export("small-cnn-opset11", SmallCnn(), torch.randn(2, 1, 8, 8), 11, False)
    export("small-cnn-opset13", SmallCnn(), torch.randn(3, 1, 8, 8), 13, True)
    export("mlp-opset9", Mlp(), torch.randn(4, 1, 4, 4), 9, False)
    export("mlp-opset14", Mlp(), torch.randn(2, 1, 4, 4), 14, True)
    export("tiny-resnet-opset17", TinyResNet(), torch.randn(2, 3, 6, 6), 17, True)
