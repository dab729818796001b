#!/usr/bin/env python3
"""Exports the LAION improved aesthetic predictor head as a Serigraph model-store entry.

Real checkpoint (https://github.com/christophschuhmann/improved-aesthetic-predictor,
sac+logos+ava1-l14-linearMSE.pth, an MLP on L2-normalized CLIP ViT-L/14 image embeddings):

    python export_aesthetic.py --checkpoint sac+logos+ava1-l14-linearMSE.pth --out models

writes models/laion-aesthetic-vit-l-14/v2/. ``--tiny`` writes the same MLP with random weights on
the tiny CLIP's 32-dimensional embeddings (a test fixture; its scores are not on the 1-10 scale):

    /usr/bin/python3 export_aesthetic.py --tiny --out ../src/test/resources/models
"""

import argparse
import os

import torch

import clip_model
import model_store


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", help="sac+logos+ava1-l14-linearMSE.pth")
    p.add_argument("--out", required=True, help="model store root")
    p.add_argument("--tiny", action="store_true", help="random-weight head on 32-d embeddings")
    args = p.parse_args()
    if args.tiny:
        torch.manual_seed(1)
        head = clip_model.AestheticHead(32)
        name, version, clip = "aesthetic-tiny", "1", "clip-tiny"
        licence = "Apache-2.0 (random weights; architecture from LAION's improved aesthetic predictor)"
        source = "inference/scripts/export_aesthetic.py --tiny (torch.manual_seed(1))"
    else:
        if not args.checkpoint:
            p.error("--checkpoint is required without --tiny")
        head = clip_model.AestheticHead(768)
        head.load_state_dict(torch.load(args.checkpoint, map_location="cpu"), strict=True)
        name, version, clip = "laion-aesthetic-vit-l-14", "v2", "clip-vit-l-14"
        licence = "Apache-2.0 (LAION improved aesthetic predictor)"
        source = f"https://github.com/christophschuhmann/improved-aesthetic-predictor ({os.path.basename(args.checkpoint)})"
    manifest = dict(
        task="aesthetic-score",
        licence=licence,
        source=source,
        inputs=[{"name": "embedding", "dtype": "float32", "shape": [-1, head.input_size]}],
        outputs=[{"name": "score", "dtype": "float32", "shape": [-1, 1]}],
        parameters={"embedding_family": clip, "embedding_normalized": True},
    )
    print("wrote", model_store.write_entry(args.out, name, version, head.eval(), manifest))


if __name__ == "__main__":
    main()
