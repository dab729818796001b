#!/usr/bin/env python3
"""Exports CLIP's image and text encoders as two Serigraph model-store entries.

Real checkpoints (needs torch and OpenAI's checkpoint file, e.g. ~/.cache/clip/ViT-B-32.pt, which
``clip.load`` downloads; the vocabulary is clip/bpe_simple_vocab_16e6.txt.gz from the clip package):

    python export_clip.py --arch ViT-B/32 --checkpoint ~/.cache/clip/ViT-B-32.pt \
        --vocab /path/to/clip/bpe_simple_vocab_16e6.txt.gz --out models
    python export_clip.py --arch ViT-L/14 --checkpoint ~/.cache/clip/ViT-L-14.pt \
        --vocab /path/to/clip/bpe_simple_vocab_16e6.txt.gz --out models

writes models/clip-vit-b-32-image/openai/ and models/clip-vit-b-32-text/openai/ (and the same for
vit-l-14). ``--tiny`` writes random-weight models of the same architecture with tiny widths and
depths and a small BPE vocabulary learned from a built-in corpus (the test fixtures):

    /usr/bin/python3 export_clip.py --tiny --out ../src/test/resources/models
"""

import argparse
import os
import tempfile

import torch

import clip_model
import clip_tokenizer
import model_store

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]

# Words the tiny vocabulary is learned from: trait-art vocabulary and everyday English.
TINY_CORPUS = """
an image of a cat with a red hat and blue eyes, a dog wearing sunglasses, a robot with golden
armor, a pixel art portrait of an ape in a space suit, the background is a purple gradient with
stars, laser eyes, a crown, a pirate hat, a smiling face, a zombie, an alien, a skeleton with a
cigar, a rainbow, green grass, the ocean at night, a city skyline, a painting of a flower in a
vase, a photo of a mountain, the quick brown fox jumps over the lazy dog, hello world, generative
art collection, rare legendary common uncommon epic, background body eyes mouth head accessory
clothes fur skin, orange yellow white black grey pink brown silver bronze, cute angry happy sad
sleepy bored surprised, there are three cats and two dogs playing in the garden
"""


def tiny_clip():
    torch.manual_seed(0)
    merges = clip_tokenizer.learn_merges(_corpus_words(), 400)
    model = clip_model.CLIP(
        embed_dim=32,
        image_resolution=64,
        vision_layers=2,
        vision_width=64,
        vision_patch_size=16,
        vision_heads=2,
        context_length=77,
        vocab_size=512 + len(merges) + 2,
        transformer_width=32,
        transformer_heads=2,
        transformer_layers=2,
    )
    # CLIP initializes the positional and projection parameters with randn; make the tiny model's
    # text features less degenerate the same way.
    return model.eval(), merges


def _corpus_words():
    tokenizer_pattern = clip_tokenizer.re.compile(
        r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", clip_tokenizer.re.IGNORECASE
    )
    text = clip_tokenizer.whitespace_clean(TINY_CORPUS).lower()
    return tokenizer_pattern.findall(text)


def export(model, vocab_path, merge_count, out, family, version, licence, source):
    res = model.visual.input_resolution
    dim = model.text_projection.shape[1]
    common = {"licence": licence, "source": source}
    image = dict(
        task="clip-image-embedding",
        **common,
        inputs=[{"name": "image", "dtype": "float32", "shape": [-1, 3, res, res]}],
        outputs=[{"name": "embedding", "dtype": "float32", "shape": [-1, dim]}],
        preprocessing={
            "resize": res,
            "crop": res,
            "interpolation": "bicubic-pil",
            "mean": MEAN,
            "std": STD,
        },
        parameters={"family": family, "text_model": f"{family}-text/{version}"},
    )
    text = dict(
        task="clip-text-embedding",
        **common,
        inputs=[{"name": "tokens", "dtype": "int64", "shape": [-1, model.context_length]}],
        outputs=[{"name": "embedding", "dtype": "float32", "shape": [-1, dim]}],
        parameters={
            "family": family,
            "image_model": f"{family}-image/{version}",
            "vocabulary": "bpe_simple_vocab.txt.gz",
            "bpe_merges": merge_count,
            "context_length": model.context_length,
            "logit_scale": float(model.logit_scale.exp().item()),
        },
    )
    a = model_store.write_entry(out, f"{family}-image", version, clip_model.ImageEncoder(model), image)
    b = model_store.write_entry(
        out, f"{family}-text", version, clip_model.TextEncoder(model), text,
        extra_files=[(vocab_path, "bpe_simple_vocab.txt.gz")],
    )
    print("wrote", a, "and", b)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--arch", choices=["ViT-B/32", "ViT-L/14"], help="the checkpoint's architecture")
    p.add_argument("--checkpoint", help="OpenAI CLIP checkpoint (TorchScript archive or state dict)")
    p.add_argument("--vocab", help="bpe_simple_vocab_16e6.txt.gz from the clip package")
    p.add_argument("--out", required=True, help="model store root")
    p.add_argument("--version", help="entry version (default: openai, or 1 with --tiny)")
    p.add_argument("--tiny", action="store_true", help="random-weight tiny models for tests")
    args = p.parse_args()
    if args.tiny:
        model, merges = tiny_clip()
        with tempfile.TemporaryDirectory() as tmp:
            vocab = os.path.join(tmp, "bpe_simple_vocab.txt.gz")
            clip_tokenizer.write_merges(vocab, merges)
            export(
                model, vocab, len(merges), args.out, "clip-tiny", args.version or "1",
                "MIT (random weights; architecture from OpenAI CLIP)",
                "inference/scripts/export_clip.py --tiny (torch.manual_seed(0))",
            )
        return
    if not (args.arch and args.checkpoint and args.vocab):
        p.error("--arch, --checkpoint and --vocab are required without --tiny")
    try:
        state = torch.jit.load(args.checkpoint, map_location="cpu").state_dict()
    except RuntimeError:
        state = torch.load(args.checkpoint, map_location="cpu")
    model = clip_model.clip_from_state_dict(state)
    family = "clip-" + args.arch.lower().replace("/", "-")
    export(
        model, args.vocab, clip_tokenizer.CLIP_MERGES, args.out, family, args.version or "openai",
        "MIT (OpenAI CLIP weights and code)",
        f"https://github.com/openai/CLIP {args.arch} ({os.path.basename(args.checkpoint)})",
    )


if __name__ == "__main__":
    main()
