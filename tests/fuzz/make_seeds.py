#!/usr/bin/python3
"""Writes a small seed corpus for the checkpoint reader fuzzer into argv[1].

Each seed starts with the byte that selects the parser (0 checkpoint, 1 pickle, 2 JSON).
"""
import collections
import io
import os
import sys
import zipfile

import torch

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def put(name, mode, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(bytes([mode]) + data)


torch.manual_seed(0)
sd = collections.OrderedDict()
sd["encoder.conv_in.weight"] = torch.randn(2, 3, 3, 3)
sd["encoder.conv_in.bias"] = torch.randn(2).half()
sd["quant_conv.weight"] = torch.randn(2, 2, 1, 1).bfloat16()
sd["view"] = sd["encoder.conv_in.weight"][1, 0].t()
variants = {
    "lightning": {"state_dict": sd, "epoch": 1, "hyper_parameters": {"lr": 1e-4, "name": "x"}},
    "bare": sd,
    "autoencoder": {"autoencoder": sd},
}
for name, obj in variants.items():
    buf = io.BytesIO()
    torch.save(obj, buf)
    data = buf.getvalue()
    put("ckpt_" + name, 0, data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        pkl = [n for n in z.namelist() if n.endswith("data.pkl")][0]
        put("pickle_" + name, 1, z.read(pkl))

header = b'{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}'
header += b" " * (-len(header) % 8)
st = len(header).to_bytes(8, "little") + header + bytes(16)
put("safetensors", 0, st)
put("json", 2, header)
put("json_escapes", 2, b'{"a":["\\u00e9\\n",1.5e3,-2,true,false,null,{}]}')
