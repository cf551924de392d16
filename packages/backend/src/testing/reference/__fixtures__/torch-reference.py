"""Writes torch-reference.json: inputs and PyTorch float64 outputs for the reference backend's window ops.

Run with Debian's interpreter (it has torch 1.13): /usr/bin/python3 torch-reference.py
Inputs are float32-representable so the interpreter, fed Float32Array data, sees exactly the same values.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(7)


def tensor(*shape):
    return torch.randn(*shape, dtype=torch.float32).to(torch.float64)


def f32(t):
    """Rounds to the nearest float32 (kept as float64), so derived inputs stay exactly representable."""
    return t.to(torch.float32).to(torch.float64)


def flat(t):
    return {"shape": list(t.shape), "data": t.flatten().tolist()}


cases = []

# Conv: asymmetric pads (applied with F.pad: torch pads symmetrically), unequal strides, dilation, groups.
x, w, b = tensor(2, 4, 7, 6), tensor(6, 2, 3, 2), tensor(6)
pads = [1, 0, 2, 1]  # ONNX order: top, left, bottom, right
y = F.conv2d(F.pad(x, (pads[1], pads[3], pads[0], pads[2])), w, b, stride=(2, 1), dilation=(1, 2), groups=2)
cases.append({"op": "Conv", "attrs": {"strides": [2, 1], "pads": pads, "dilations": [1, 2], "group": 2}, "inputs": [flat(x), flat(w), flat(b)], "outputs": [flat(y)]})

# ConvTranspose: groups, stride, symmetric pads, dilation, output padding.
x, w, b = tensor(2, 4, 3, 4), tensor(4, 3, 3, 2), tensor(6)
y = F.conv_transpose2d(x, w, b, stride=(2, 1), padding=(1, 0), output_padding=(1, 0), groups=2, dilation=(1, 2))
cases.append({"op": "ConvTranspose", "attrs": {"strides": [2, 1], "pads": [1, 0, 1, 0], "outputPadding": [1, 0], "group": 2, "dilations": [1, 2]}, "inputs": [flat(x), flat(w), flat(b)], "outputs": [flat(y)]})

# Pooling with padding.
x = tensor(2, 3, 7, 6)
for include in (False, True):
    y = F.avg_pool2d(x, kernel_size=3, stride=2, padding=1, count_include_pad=include)
    cases.append({"op": "AveragePool", "attrs": {"kernelShape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "countIncludePad": include}, "inputs": [flat(x)], "outputs": [flat(y)]})
y = F.max_pool2d(x, kernel_size=3, stride=2, padding=1)
cases.append({"op": "MaxPool", "attrs": {"kernelShape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1]}, "inputs": [flat(x)], "outputs": [flat(y)]})

# Batch norm in training mode: torch momentum m updates running = (1 − m)·running + m·batch (unbiased var);
# the ONNX-style momentum of the op doc is 1 − m.
x, scale, shift = tensor(4, 3, 2, 3), tensor(3), tensor(3)
mean, var = tensor(3), f32(tensor(3).abs() + 0.5)
inputs = [flat(x), flat(scale), flat(shift), flat(mean), flat(var)]
running_mean, running_var = mean.clone(), var.clone()
y = F.batch_norm(x, running_mean, running_var, scale, shift, training=True, momentum=0.2, eps=1e-3)
cases.append({"op": "BatchNormalization", "attrs": {"training": True, "momentum": 0.8, "epsilon": 1e-3}, "inputs": inputs, "outputs": [flat(y), flat(running_mean), flat(running_var)]})

# Log-softmax over a middle axis.
x = f32(tensor(2, 5, 3) * 10)
cases.append({"op": "LogSoftmax", "attrs": {"axis": 1}, "inputs": [flat(x)], "outputs": [flat(F.log_softmax(x, dim=1))]})

with open("torch-reference.json", "w") as f:
    json.dump({"generator": f"torch {torch.__version__}", "cases": cases}, f)
