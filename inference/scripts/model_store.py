"""Writes Serigraph model-store entries: models/<name>/<version>/{model.pt, model.yaml, extra files}."""

import hashlib
import json
import os
import shutil

import torch


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _yaml(value, indent=0):
    """A small YAML emitter for the manifest (strings are JSON-quoted, which YAML accepts)."""
    pad = "  " * indent
    lines = []
    for key, v in value.items():
        if isinstance(v, dict):
            lines.append(f"{pad}{key}:")
            lines.extend(_yaml(v, indent + 1))
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            lines.append(f"{pad}{key}:")
            for item in v:
                sub = _yaml(item, indent + 2)
                sub[0] = pad + "  - " + sub[0].lstrip()
                lines.extend(sub)
        else:
            lines.append(f"{pad}{key}: {json.dumps(v, ensure_ascii=False)}")
    return lines


def write_entry(root, name, version, module, manifest, extra_files=()):
    """Scripts ``module`` to TorchScript, saves it with its manifest and extra files, returns the dir.

    ``manifest`` holds everything but name, version, format and the hashes, which are filled in here.
    ``extra_files`` are (source path, file name in the entry) pairs, copied and hashed.
    """
    directory = os.path.join(root, name, version)
    os.makedirs(directory, exist_ok=True)
    model_path = os.path.join(directory, "model.pt")
    scripted = torch.jit.script(module.eval())
    torch.jit.save(scripted, model_path)
    files = []
    for source, file_name in extra_files:
        target = os.path.join(directory, file_name)
        if os.path.abspath(source) != os.path.abspath(target):
            shutil.copyfile(source, target)
        files.append({"path": file_name, "sha256": sha256(target)})
    full = {"name": name, "version": version, "format": "torchscript", "sha256": sha256(model_path)}
    full.update(manifest)
    if files:
        full["files"] = files
    with open(os.path.join(directory, "model.yaml"), "w", encoding="utf-8") as f:
        f.write("# Serigraph model-store manifest, written by inference/scripts/model_store.py\n")
        f.write("\n".join(_yaml(full)) + "\n")
    return directory
