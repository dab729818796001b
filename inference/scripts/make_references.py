#!/usr/bin/env python3
"""Writes the reference data the Java tests compare against (src/test/resources/reference/).

    cd inference && /usr/bin/python3 scripts/make_references.py

(Debian bookworm: apt-get install python3-torch python3-torchvision python3-regex python3-pil.)

* fixture-a.png (300x200) and fixture-b.png (61x97): RGBA test images with soft alpha.
* preprocess-*.f32.gz: CLIP's own image transform, torchvision's
  Resize(n, BICUBIC) -> CenterCrop(n) -> ToTensor -> Normalize(CLIP mean, std) on a PIL image,
  exactly as clip.load returns it. Resize on a PIL image is Pillow's antialiased bicubic
  (a = -0.5, support widened by the downscale factor, 22-bit fixed-point weights, uint8 rounding
  after each pass, horizontal pass first). The RGBA fixture is first premultiplied and composited
  onto the background with Serigraph's pixel math (div255 rounding; docs/pixel-math.md), which is
  what the Java side does with its premultiplied RgbaImage; the composited RGB image is what enters
  CLIP's transform. Tensors are float32 little-endian, C order [3, n, n].
* tokens.json: CLIP tokenizer ids (scripts/clip_tokenizer.py, the tiny fixture vocabulary) for a
  set of prompts with unicode, punctuation, HTML entities and an over-long prompt.
* embeddings.json: the committed tiny TorchScript models run in Python on the reference tensors
  and token ids: raw image and text features and the aesthetic head's scores on the normalized
  image embeddings.
"""

import gzip
import json
import os

import numpy as np
import torch
from PIL import Image
from torchvision import transforms as T

import clip_tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "src", "test", "resources")
OUT = os.path.join(RES, "reference")
MODELS = os.path.join(RES, "models")
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)

PROMPTS = [
    "an image of a cat",
    "An image of a CAT with a Red Hat!!!",
    "a photo of a dog's toy; it's the dog's, isn't it? we'll see, they've said i'd, you're",
    "laser eyes (rare) -- 1/100 edition #42, price: $3.50",
    "  lots\tof \n whitespace\u00a0and\u3000ideographic   spaces  ",
    "Café déjà vu naïve Über straße",
    "東京の猫 と 犬",
    "emoji 🐱🚀 and ❤️ hearts",
    "html &amp; entities &lt;b&gt; &quot;quoted&quot; &#39;single&#39; &#x1F600; &amp;amp; &notit; &copy",
    "ΣΊΣΥΦΟΣ ΟΔΟΣ İstanbul",
    "<|startoftext|>inside<|endoftext|> markers",
    "numbers 12345 and 3.14159 and 1,000,000",
    "",
    " ".join(["the quick brown fox jumps over the lazy dog"] * 12),
]


def div255(x):
    return (x + 128 + ((x + 128) >> 8)) >> 8


def fixture_images():
    rng = np.random.default_rng(7)
    images = {}
    for name, (w, h) in {"a": (300, 200), "b": (61, 97)}.items():
        y, x = np.mgrid[0:h, 0:w]
        r = (255 * x / (w - 1)).astype(np.int64)
        g = (255 * y / (h - 1)).astype(np.int64)
        b = ((x // 8 + y // 8) % 2) * 200 + 20
        noise = rng.integers(-30, 31, size=(h, w, 3))
        rgb = np.clip(np.stack([r, g, b], axis=-1) + noise, 0, 255)
        cx, cy = w / 2, h / 2
        dist = np.sqrt(((x - cx) / w) ** 2 + ((y - cy) / h) ** 2)
        alpha = np.clip(255 * (1.2 - 2 * dist), 0, 255).astype(np.int64)
        alpha[: h // 10, :] = 255
        alpha[:, : w // 10] = 0
        rgba = np.concatenate([rgb, alpha[..., None]], axis=-1).astype(np.uint8)
        images[name] = rgba
        Image.fromarray(rgba, "RGBA").save(os.path.join(OUT, f"fixture-{name}.png"))
    return images


def composite(rgba, background):
    """Serigraph's premultiply then 'over' onto an opaque background, in integers."""
    c = rgba[..., :3].astype(np.int64)
    a = rgba[..., 3:4].astype(np.int64)
    premultiplied = div255(c * a)
    bg = np.array(background, dtype=np.int64)
    return (premultiplied + div255((255 - a) * bg)).astype(np.uint8)


def clip_transform(n):
    # clip/clip.py _transform(n_px), minus _convert_image_to_rgb (the input is already RGB).
    return T.Compose(
        [
            T.Resize(n, interpolation=T.InterpolationMode.BICUBIC),
            T.CenterCrop(n),
            T.ToTensor(),
            T.Normalize(MEAN, STD),
        ]
    )


def write_tensor(name, tensor):
    data = tensor.contiguous().numpy().astype("<f4").tobytes()
    with open(os.path.join(OUT, name), "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    images = fixture_images()
    cases = [("a", (255, 255, 255), 224), ("a", (255, 255, 255), 64), ("b", (40, 120, 200), 224), ("b", (40, 120, 200), 64)]
    index = []
    tensors = {}
    for name, bg, n in cases:
        rgb = Image.fromarray(composite(images[name], bg), "RGB")
        t = clip_transform(n)(rgb)
        file = f"preprocess-{name}-{n}.f32.gz"
        write_tensor(file, t)
        tensors[(name, n)] = t
        index.append({"image": f"fixture-{name}.png", "background": list(bg), "size": n, "tensor": file, "shape": list(t.shape)})
    with open(os.path.join(OUT, "preprocess.json"), "w") as f:
        json.dump(index, f, indent=1)

    vocab = os.path.join(MODELS, "clip-tiny-text", "1", "bpe_simple_vocab.txt.gz")
    with gzip.open(vocab, "rt", encoding="utf-8") as f:
        merge_count = len([line for line in f.read().split("\n")[1:] if line])
    tok = clip_tokenizer.SimpleTokenizer(vocab, merge_count)
    tokens = [{"text": p, "encode": tok.encode(p), "tokenize": tok.tokenize(p)} for p in PROMPTS]
    with open(os.path.join(OUT, "tokens.json"), "w", encoding="utf-8") as f:
        json.dump({"vocabulary": "models/clip-tiny-text/1/bpe_simple_vocab.txt.gz", "merges": merge_count, "prompts": tokens}, f, ensure_ascii=False, indent=1)

    image_model = torch.jit.load(os.path.join(MODELS, "clip-tiny-image", "1", "model.pt"))
    text_model = torch.jit.load(os.path.join(MODELS, "clip-tiny-text", "1", "model.pt"))
    head = torch.jit.load(os.path.join(MODELS, "aesthetic-tiny", "1", "model.pt"))
    with torch.no_grad():
        batch = torch.stack([tensors[("a", 64)], tensors[("b", 64)]])
        image_features = image_model(batch)
        normalized = image_features / image_features.norm(dim=-1, keepdim=True)
        scores = head(normalized)[:, 0]
        ids = torch.tensor([t["tokenize"] for t in tokens[:6]], dtype=torch.int64)
        text_features = text_model(ids)
    out = {
        "images": [
            {"tensor": "preprocess-a-64.f32.gz", "features": image_features[0].tolist(), "aesthetic": scores[0].item()},
            {"tensor": "preprocess-b-64.f32.gz", "features": image_features[1].tolist(), "aesthetic": scores[1].item()},
        ],
        "texts": [{"text": tokens[i]["text"], "features": text_features[i].tolist()} for i in range(len(ids))],
    }
    with open(os.path.join(OUT, "embeddings.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
