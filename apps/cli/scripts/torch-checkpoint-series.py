"""Writes a PyTorch checkpoint series for the CLI's series test: a 20-64-64-4 MLP trained with weight decay on a
seeded 4-class Gaussian mixture, saved with torch.save after epochs 1, 20 and 200 (state dicts in the zip format),
and a reference JSON of every weight matrix's singular values and numerical rank (numpy, float64) per checkpoint.

Run: /usr/bin/python3 apps/cli/scripts/torch-checkpoint-series.py  (writes apps/cli/src/__fixtures__/torch-series/)
"""
import json
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'src', '__fixtures__', 'torch-series')
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
rng = np.random.default_rng(0)
K, D, N = 4, 20, 512
means = rng.normal(size=(K, D)) * 2.0
y = np.repeat(np.arange(K), N // K)
x = means[y] + rng.normal(size=(N, D))
X = torch.tensor(x, dtype=torch.float32)
Y = torch.tensor(y)

model = torch.nn.Sequential(
    torch.nn.Linear(D, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, K)
)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=3e-2)
reference = {}
for epoch in range(1, 201):
    for batch in torch.randperm(N).split(64):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(X[batch]), Y[batch]).backward()
        opt.step()
    if epoch in (1, 20, 200):
        name = f'epoch-{epoch}.pt'
        torch.save(model.state_dict(), os.path.join(OUT, name))
        layers = {}
        for key, value in model.state_dict().items():
            if value.ndim != 2:
                continue
            s = np.linalg.svd(value.double().numpy(), compute_uv=False)
            layers[key] = {'rows': value.shape[0], 'cols': value.shape[1], 'singularValues': s.tolist(), 'numericalRank': int((s > 1e-3 * s[0]).sum())}
        reference[name] = layers

with open(os.path.join(OUT, 'reference.json'), 'w') as f:
    json.dump(reference, f, indent=1)
print({k: {n: v['numericalRank'] for n, v in l.items()} for k, l in reference.items()})
