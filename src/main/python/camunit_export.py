#!/usr/bin/env python3
"""Exports a PyTorch vision model as a CAM-ready TorchScript file for camunit.

A CAM-ready file (format 1 of the TorchScript CAM contract) has three methods, which camunit
calls from Java through DJL:

    forward(x)              -> scores [N, K]            the model as deployed
    features(x, layer)      -> List[Tensor]             runs up to a cut; element 0 is the cut
                                                         layer's activation [N, C, h, w], further
                                                         elements are tensors the rest still needs
                                                         (skip connections crossing the cut)
    head(acts, layer)       -> scores [N, K]            runs the rest from those tensors

`layer` is an int64 scalar tensor indexing the list of layer names stored in the extra file
`camunit.json` ({"format": 1, "exporter": "0.1.0", "layers": [...], "classes": [...], "input": {...},
"layouts": {...}, "biases": {...}}). "exporter" is the camunit release this script belongs to: camunit refuses a file
whose exporter is of a newer minor release than itself (its format may have changed) and accepts
older ones; get the exporter that matches your camunit with `java -jar camunit.jar export-script`.

Layouts (how a layer's output becomes the N x C x h x w of element 0; "layouts" in camunit.json
names every layer whose layout is not "nchw", and is left out when there is none):

    nchw             a 4-D output N x C x h x w, taken as it is (CNNs)
    nhwc             a 4-D channels-last output N x h x w x C (torchvision Swin's stages), permuted
                     to N x C x h x w at the cut and back in the head
    tokens:P:WxH     a 3-D output N x L x C of transformers: P prefix tokens (class, distillation,
                     register tokens) followed by a grid W tokens wide and H high, row by row (ViT,
                     DeiT). Element 0 is the grid N x C x H x W (pytorch-grad-cam's reshape_transform:
                     prefix tokens dropped, grid reshaped, channels first); the prefix tokens cross
                     the cut unchanged as element 1, and the head puts the tokens back together.
                     Gradients with respect to the prefix tokens therefore never enter a map.

A 3-D output is read as tokens. Given as "tokens" (or not given), P and the grid are inferred
from L and the example's H x W: the candidates are the grids of square patches that tile the
input exactly (H/h = W/w a whole number) with fewer prefix tokens than grid tokens; one candidate
is taken, several are an error that lists them. "tokens:P" fixes P and takes the grid of L - P
tokens with the input's aspect ratio. A 4-D output is read as nchw unless told otherwise, but
one whose dimensions 1 and 2 have the input's aspect ratio while 2 and 3 do not (N x 56 x 56 x 96
at 224 x 224) looks channels-last and must be given a layout, "nhwc" or "nchw".

How it works: the eager model is run once with forward hooks to check that each layer is called
once and returns N x C x h x w. Then, for every layer, the model is traced with torch.fx treating
that layer as a leaf; the graph is split after the layer's call (features: the layer and what it
depends on; head: the rest, reading every tensor that crosses the cut from `acts`), and each half
is traced with torch.jit.trace. A scripted dispatcher picks the halves by layer index. Before
anything is written, the file is saved to memory, loaded back and checked: element 0 of features
equals the layer's output (forward hook on the original model) and head(features(x, l), l) equals
the original model's output, for the example input and for a batch of another size.

FullGrad (full_gradient=True, --full-gradient) needs the gradient at the output of every layer that
adds a bias: every Conv2d and BatchNorm2d with a bias (pytorch-grad-cam's rule) is then cut as
well, after the layers asked for, and "biases" records, per such layer, the bias it adds per
output channel (a BatchNorm2d's folded with its running statistics: bias - mean * weight /
sqrt(var + eps)).

Limitations: forward must take one tensor and return one tensor, be traceable by torch.fx, and
not depend on Python values computed from tensors (torch.jit.trace would freeze them); the
check above catches the frozen batch size, not every frozen value. The grid of a token or
channels-last layer is the one at the example's size. Tracing is on the example's device and
dtype.

Python use:

    import torch, torchvision
    from camunit_export import export
    model = torchvision.models.resnet18(weights=None)       # or your trained model
    export(model, torch.randn(2, 3, 224, 224), ["layer3", "layer4"], "resnet18-cam.pt",
           classes=None,
           input={"height": 224, "width": 224,
                  "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]})
    # a ViT: the input of the last block's attention (its 196 patch tokens reach the class token)
    vit = torchvision.models.vit_b_16(weights=None)
    export(vit, torch.randn(2, 3, 224, 224), ["encoder.layers.encoder_layer_11.ln_1"], "vit-cam.pt")
    # explicit layouts: two prefix tokens (DeiT), a channels-last Swin stage
    export(deit, example, ["blocks.11.norm1"], "deit-cam.pt", layouts={"blocks.11.norm1": "tokens:2"})
    export(swin, example, ["features.7"], "swin-cam.pt", layouts={"features.7": "nhwc"})

Command line (Debian's python3-torch: /usr/bin/python3):

    # a torchvision architecture with random weights (nothing is downloaded)
    python3 camunit_export.py --torchvision resnet18 --layers layer3,layer4 --size 224x224 \\
        --out resnet18-cam.pt
    # --size is WIDTHxHEIGHT, as everywhere in camunit: 320x240 is 320 wide and 240 high
    # your own model: a function returning the nn.Module (with its weights loaded)
    python3 camunit_export.py --module mypkg.models:build_classifier --layers features.7 \\
        --size 96x96 --classes cat,dog --mean 0.5,0.5,0.5 --std 0.25,0.25,0.25 --out cls-cam.pt
    python3 camunit_export.py --module ./train.py:load_model --layers backbone.layer4 ...
    # transformers: token layers are inferred, or given with --layout LAYER=SPEC
    python3 camunit_export.py --torchvision vit_b_16 --layers encoder.layers.encoder_layer_11.ln_1 \\
        --size 224x224 --out vit-cam.pt
    python3 camunit_export.py --torchvision swin_t --layers features.7 --layout features.7=nhwc \\
        --size 224x224 --out swin-cam.pt

Layer names are module paths from model.named_modules(); the cut is the module's output.
"""
import argparse
import contextlib
import difflib
import dis
import importlib
import importlib.util
import inspect
import io
import json
import math
import operator
import os
import re
import sys
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple

import torch
import torch.fx
import torch.nn as nn

__all__ = ["CamunitExportError", "export", "export_plain", "main"]

FORMAT = 1
METADATA_FILE = "camunit.json"
# The camunit release this exporter belongs to. The build writes it into the copy the jar ships
# (Maven resource filtering), so it cannot drift from the jar; in a source checkout the token stays
# and camunit.json records no exporter (camunit accepts such files, as it does older exports).
CAMUNIT_VERSION = "@project.version@"
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


class CamunitExportError(ValueError):
    """The model cannot be exported as asked; the message says why and what to do."""


# --------------------------------------------------------------------------------------------
# Splitting one model at one layer
# --------------------------------------------------------------------------------------------

class _Unpacking:
    """Unpacking a proxy (`a, b = self.pool(x)`, `n, c, h, w = x.shape`) that works on Python
    3.11: torch 1.13 finds the UNPACK_SEQUENCE instruction by index, which inline caches shift;
    find it by offset."""

    def __iter__(self):
        frame = inspect.currentframe().f_back
        for inst in dis.get_instructions(frame.f_code):
            if inst.offset == frame.f_lasti and inst.opname == "UNPACK_SEQUENCE":
                return (self[i] for i in range(inst.argval))
        return self.tracer.iter(self)  # raises fx's own "Proxy object cannot be iterated" error


class _Proxy(_Unpacking, torch.fx.Proxy):
    """torch.fx Proxy that unpacks on Python 3.11, as do its attributes (x.shape)."""

    def __getattr__(self, k):
        return _Attribute(self, k)


class _Attribute(_Unpacking, torch.fx.proxy.Attribute):
    """An attribute of a _Proxy (torch.fx adds its node only when it is used as a value)."""


class _CutTracer(torch.fx.Tracer):
    """torch.fx tracer that keeps the cut layer as one call (so its output is a graph node) and
    traces into every module that contains it."""

    def __init__(self, layer: str):
        super().__init__()
        self.layer = layer

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        if qualname == self.layer:
            return True
        if self.layer.startswith(qualname + "."):
            # An ancestor of the cut: must be traced through even if fx would keep it whole.
            return False
        return super().is_leaf_module(m, qualname)

    def proxy(self, node: torch.fx.Node) -> torch.fx.Proxy:
        return _Proxy(node, self)


class _Recorder(torch.fx.Interpreter):
    """Runs a GraphModule and keeps every node's value (types and example tensors for the split)."""

    def __init__(self, gm: torch.fx.GraphModule):
        super().__init__(gm)
        self.values: Dict[torch.fx.Node, object] = {}

    def run_node(self, n):
        value = super().run_node(n)
        self.values[n] = value
        return value


def _describe(value) -> str:
    if isinstance(value, torch.Tensor):
        return f"a Tensor of shape {list(value.shape)}"
    if isinstance(value, (tuple, list)):
        inner = ", ".join(_describe(v) for v in value[:4])
        return f"a {type(value).__name__} of {len(value)} ({inner}{', ...' if len(value) > 4 else ''})"
    return f"a {type(value).__name__}"


def _short(e: BaseException) -> str:
    """The last line of an error: TorchScript errors carry pages of traceback before it."""
    lines = [line for line in str(e).splitlines() if line.strip()]
    return lines[-1] if lines else type(e).__name__


def _check_layer_output(model: nn.Module, layer: str, outputs: list) -> torch.Tensor:
    """Returns the one tensor `layer` returned during one forward (`outputs`), or raises."""
    name = type(model).__name__
    if not outputs:
        raise CamunitExportError(
            f"Layer '{layer}' is never called by {name}.forward (or is called under another name), "
            "so it has no output to explain. Choose a module that forward uses.")
    if len(outputs) > 1:
        raise CamunitExportError(
            f"Layer '{layer}' is called {len(outputs)} times in {name}.forward, so its output is "
            "ambiguous (e.g. one ReLU module reused in a block). Choose the enclosing block or a "
            "module that is called once.")
    act = outputs[0]
    if not isinstance(act, torch.Tensor):
        raise CamunitExportError(
            f"Layer '{layer}' returns {_describe(act)}; a CAM layer must return one Tensor of shape "
            "N x C x h x w (or N x L x C tokens). Choose a module that returns a single feature map "
            "(e.g. a sub-module of this one, or the block that consumes its outputs).")
    return act


# --------------------------------------------------------------------------------------------
# Layouts: how a layer's output is presented as N x C x h x w at the cut
# --------------------------------------------------------------------------------------------

_LAYOUT_SYNTAX = ("'nchw', 'nhwc', 'tokens', 'tokens:P' or 'tokens:P:WxH' (P prefix tokens, then "
                  "a grid W tokens wide and H high, written WIDTHxHEIGHT like every size)")


class Layout(NamedTuple):
    """How a cut layer's output becomes element 0 of features (see the module docstring). A
    requested layout may leave `prefix` and `grid` as None, to be inferred."""
    kind: str                                # "nchw", "nhwc" or "tokens"
    prefix: Optional[int] = None             # tokens: how many tokens precede the grid
    grid: Optional[Tuple[int, int]] = None   # tokens: (h, w), row by row

    def __str__(self):
        if self.kind != "tokens":
            return self.kind
        text = "tokens" if self.prefix is None else f"tokens:{self.prefix}"
        return text if self.grid is None else f"{text}:{self.grid[1]}x{self.grid[0]}"  # WIDTHxHEIGHT


NCHW = Layout("nchw")


def _parse_layout(layer: str, text) -> Layout:
    """A layout as the user writes it ("tokens:2", "nhwc", ...)."""
    spec = text.strip().lower() if isinstance(text, str) else None
    if spec in ("nchw", "nhwc"):
        return Layout(spec)
    parts = spec.split(":") if spec else []
    try:
        if not parts or parts[0] != "tokens" or len(parts) > 3:
            raise ValueError
        prefix = int(parts[1]) if len(parts) > 1 else None
        # Written WIDTHxHEIGHT, as camunit writes every size; kept as (h, w), PyTorch's order.
        grid = tuple(reversed([int(v) for v in parts[2].split("x")])) if len(parts) > 2 else None
        if (prefix is not None and prefix < 0) or (grid is not None and (len(grid) != 2 or min(grid) < 1)):
            raise ValueError
    except ValueError:
        raise CamunitExportError(
            f"Layout {text!r} of layer '{layer}' is not one of {_LAYOUT_SYNTAX}; e.g. 'tokens:1' for "
            "a ViT's class token, 'tokens:2' for DeiT's class and distillation tokens, 'nhwc' for a "
            "Swin stage.") from None
    return Layout("tokens", prefix, grid)


def _requested_layouts(layers: List[str], layouts) -> Dict[str, Layout]:
    if layouts is None:
        return {}
    if not isinstance(layouts, dict):
        raise CamunitExportError(
            f"layouts must be a dict from layer name to layout ({_LAYOUT_SYNTAX}); got {layouts!r}.")
    for layer in layouts:
        if layer not in layers:
            raise CamunitExportError(
                f"layouts names layer {layer!r}, which is not among the layers to export {layers}. "
                "Give a layout only for an exported layer (and check its spelling).")
    return {layer: _parse_layout(layer, text) for layer, text in layouts.items()}


def _looks_like_grid(h: int, w: int, height: int, width: int) -> bool:
    """True when h x w has the input's aspect ratio and fits in it (a feature map of it)."""
    return h * width == w * height and 1 <= h <= height and 1 <= w <= width


def _resolve_layout(model: nn.Module, layer: str, act: torch.Tensor, example: torch.Tensor,
                    requested: Optional[Layout]) -> Layout:
    """The layout of `layer`'s output `act` for the input `example`: the requested one, checked
    against the shape and completed, or the one read from the shape; raises when it is unclear."""
    name = type(model).__name__
    shape, height, width = list(act.shape), int(example.shape[-2]), int(example.shape[-1])
    if act.dim() not in (3, 4) or act.shape[0] != example.shape[0]:
        raise CamunitExportError(
            f"Layer '{layer}' returns a Tensor of shape {shape} for an input of shape "
            f"{list(example.shape)}; a CAM layer must return N x C x h x w (a convolutional feature "
            "map) or N x L x C (transformer tokens). Choose a convolutional block before "
            "pooling/flattening, or a transformer block's tokens.")
    if act.dim() == 4:
        if requested is not None and requested.kind == "tokens":
            raise CamunitExportError(
                f"Layer '{layer}' returns a Tensor of shape {shape}, but its layout is given as "
                f"'{requested}', which is for 3-D token outputs N x L x C. Give 'nchw' or 'nhwc'.")
        if requested is not None:
            return requested
        if _looks_like_grid(shape[1], shape[2], height, width) and not _looks_like_grid(shape[2], shape[3], height, width):
            raise CamunitExportError(
                f"Layer '{layer}' of {name} returns a Tensor of shape {shape} for a {width}x{height} "
                f"input: its dimensions 1 and 2 ({shape[1]} x {shape[2]}) have the input's aspect ratio "
                f"and dimensions 2 and 3 ({shape[2]} x {shape[3]}) do not, so it looks channels-last "
                "(N x h x w x C, like torchvision Swin's stages). Say which it is: "
                f"layouts={{'{layer}': 'nhwc'}} (command line --layout {layer}=nhwc), or 'nchw' if it "
                "is N x C x h x w.")
        return NCHW
    if requested is not None and requested.kind != "tokens":
        raise CamunitExportError(
            f"Layer '{layer}' returns a Tensor of shape {shape}, but its layout is given as "
            f"'{requested}', which is for 4-D outputs. A 3-D output N x L x C is read as tokens: "
            "give 'tokens', 'tokens:P' or 'tokens:P:WxH'.")
    return _token_layout(name, layer, shape, height, width, requested or Layout("tokens"))


def _token_layout(name: str, layer: str, shape: List[int], height: int, width: int,
                  requested: Layout) -> Layout:
    """P and the grid of a token output N x L x C: as requested, completed from L and the input."""
    tokens = shape[1]
    fix = (f"Give its layout: layouts={{'{layer}': 'tokens:P:WxH'}} (P prefix tokens, then a grid W "
           f"tokens wide and H high; command line --layout {layer}=tokens:P:WxH).")
    if requested.grid is not None:
        h, w = requested.grid
        if h != w and _looks_like_grid(w, h, height, width) and not _looks_like_grid(h, w, height, width):
            # The grid written HEIGHTxWIDTH, PyTorch's order: as many tokens, the map transposed.
            raise CamunitExportError(
                f"Layout '{requested}' of layer '{layer}' gives a grid {w} tokens wide and {h} high, which "
                f"does not have the {width}x{height} input's aspect ratio, but {h} wide and {w} high does. "
                f"A grid is written WIDTHxHEIGHT, like every size in camunit: write "
                f"'{Layout('tokens', requested.prefix, (w, h))}'.")
        prefix = tokens - h * w if requested.prefix is None else requested.prefix
        if prefix < 0 or prefix + h * w != tokens:
            raise CamunitExportError(
                f"Layer '{layer}' of {name} returns {tokens} tokens (shape {shape}), but layout "
                f"'{requested}' accounts for {max(prefix, 0) + h * w} ({max(prefix, 0)} prefix + "
                f"{w}x{h}). {fix}")
        return Layout("tokens", prefix, (h, w))
    if requested.prefix is not None:
        cells = tokens - requested.prefix
        grids = [(h, cells // h) for h in range(1, max(cells, 0) + 1)
                 if cells % h == 0 and _looks_like_grid(h, cells // h, height, width)]
        if not grids:
            raise CamunitExportError(
                f"Layer '{layer}' of {name} returns {tokens} tokens (shape {shape}); after "
                f"{requested.prefix} prefix tokens, {cells} remain, which form no grid with the "
                f"{width}x{height} input's aspect ratio. {fix}")
        return Layout("tokens", requested.prefix, grids[0])  # h * w = cells and h / w fixed: one grid
    candidates = []
    for stride in range(1, min(height, width) + 1):
        if height % stride == 0 and width % stride == 0:
            h, w = height // stride, width // stride
            if 0 <= tokens - h * w < h * w:
                candidates.append(Layout("tokens", tokens - h * w, (h, w)))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CamunitExportError(
            f"Layer '{layer}' of {name} returns a Tensor of shape {shape} (N x L x C, read as tokens), "
            f"and no grid of square patches tiling the {width}x{height} input, with fewer prefix "
            f"tokens than grid tokens, accounts for its {tokens} tokens. {fix}")
    listed = ", ".join(f"'{c}' ({c.prefix} prefix tokens, {c.grid[1]}x{c.grid[0]} grid)" for c in candidates)
    raise CamunitExportError(
        f"Layer '{layer}' of {name} returns {tokens} tokens (shape {shape}), which can be read in "
        f"{len(candidates)} ways for a {width}x{height} input: {listed}. Choose one: "
        f"layouts={{'{layer}': '{candidates[0]}'}} (command line --layout {layer}={candidates[0]}).")


# The functions the cut applies (called by the traced graphs, and on hooked outputs for the checks).

def _tokens_to_grid(tokens: torch.Tensor, prefix: int, height: int, width: int) -> torch.Tensor:
    # unflatten (not reshape with -1): a token count that does not match the grid is an error.
    return tokens[:, prefix:].unflatten(1, (height, width)).permute(0, 3, 1, 2).contiguous()


def _prefix_tokens(tokens: torch.Tensor, prefix: int) -> torch.Tensor:
    return tokens[:, :prefix]


def _grid_to_tokens(grid: torch.Tensor, prefix_tokens: Optional[torch.Tensor]) -> torch.Tensor:
    tokens = grid.flatten(2).transpose(1, 2)
    return tokens.contiguous() if prefix_tokens is None else torch.cat([prefix_tokens, tokens], 1)


def _nhwc_to_nchw(t: torch.Tensor) -> torch.Tensor:
    return t.permute(0, 3, 1, 2).contiguous()


def _nchw_to_nhwc(t: torch.Tensor) -> torch.Tensor:
    # contiguous: the model's own channels-last tensor was, and views further on may rely on it.
    return t.permute(0, 2, 3, 1).contiguous()


def _present(call, act, layout: Layout) -> list:
    """What features returns for the cut layer's output `act`: [N x C x h x w] plus, for tokens
    with a prefix, the prefix tokens. `call(f, *args)` applies f (eagerly, or as a graph node)."""
    if layout.kind == "nhwc":
        return [call(_nhwc_to_nchw, act)]
    if layout.kind == "tokens":
        grid = call(_tokens_to_grid, act, layout.prefix, *layout.grid)
        return [grid, call(_prefix_tokens, act, layout.prefix)] if layout.prefix else [grid]
    return [act]


def _restore(call, presented: list, layout: Layout):
    """The cut layer's output again, from what _present made of it (the head's first step)."""
    if layout.kind == "nhwc":
        return call(_nchw_to_nhwc, presented[0])
    if layout.kind == "tokens":
        return call(_grid_to_tokens, presented[0], presented[1] if layout.prefix else None)
    return presented[0]


def _eager(f, *args):
    return f(*args)


def _probe(model: nn.Module, layers: List[str], example: torch.Tensor, requested: Dict[str, Layout]):
    """Runs the eager model once with hooks on the layers, checks their outputs and settles their
    layouts, before torch.fx is involved (fx fails less clearly on, e.g., unpacking a layer's tuple
    output). Returns the model's output and the layout of each layer."""
    modules = dict(model.named_modules())
    seen = {name: [] for name in layers}
    hooks = [modules[name].register_forward_hook(lambda m, i, o, name=name: seen[name].append(o))
             for name in layers]
    try:
        with torch.no_grad():
            output = model(example)
    except Exception as e:
        raise CamunitExportError(
            f"{type(model).__name__} fails on the example input of shape {list(example.shape)}: "
            f"{type(e).__name__}: {e}. Pass an input the model accepts.") from e
    finally:
        for h in hooks:
            h.remove()
    layouts = {name: _resolve_layout(model, name, _check_layer_output(model, name, seen[name]), example,
                                     requested.get(name))
               for name in layers}
    if not isinstance(output, torch.Tensor):
        raise CamunitExportError(
            f"{type(model).__name__}.forward returns {_describe(output)}; camunit needs a Tensor of "
            "scores. Wrap the model so forward returns the logits tensor.")
    return output, layouts


def _trace_fx(model: nn.Module, layer: str) -> torch.fx.GraphModule:
    try:
        graph = _CutTracer(layer).trace(model)
    except Exception as e:  # fx raises TraceError, TypeError, NotImplementedError, ...
        raise CamunitExportError(
            f"torch.fx cannot trace {type(model).__name__} (needed to cut it at '{layer}'): "
            f"{type(e).__name__}: {e}. camunit needs the model as a static graph. Data-dependent "
            "Python (if/while on tensor values, len() or int() of a tensor, ...) is the usual cause. "
            "Move such code into a function decorated with torch.fx.wrap (it is then recorded as one "
            "call), or export a traceable sub-module of your model instead.") from e
    return torch.fx.GraphModule(model, graph)


def _split(model: nn.Module, layer: str, layout: Layout, example: torch.Tensor):
    """Splits `model` after `layer`, presenting its output in `layout`; returns (features
    GraphModule, head GraphModule, example tensors crossing the cut as features returns them)."""
    gm = _trace_fx(model, layer)
    nodes = list(gm.graph.nodes)
    inputs = [n for n in nodes if n.op == "placeholder"]
    if len(inputs) != 1:
        raise CamunitExportError(
            f"{type(model).__name__}.forward takes {len(inputs)} arguments; camunit exports models "
            "whose forward takes one image tensor. Wrap the model in a module whose forward(x) "
            "calls it with the other arguments fixed.")
    calls = [n for n in nodes if n.op == "call_module" and n.target == layer]
    recorder = _Recorder(gm)
    with torch.no_grad():
        recorder.run(example)
    values = recorder.values
    # Already checked on the eager model by _probe; repeated on the graph that is actually cut.
    _check_layer_output(model, layer, [values[n] for n in calls])
    cut = calls[0]

    # Features: the cut and everything it depends on. Head: all other nodes.
    in_features = set()
    stack = [cut]
    while stack:
        n = stack.pop()
        if n not in in_features:
            in_features.add(n)
            stack.extend(n.all_input_nodes)
    # Nodes the output does not need (torch._assert checks of shapes before the cut, in ViTs) go
    # with features when all they read is there, so they drag no earlier tensor across the cut.
    needed = set()
    stack = [n for n in nodes if n.op == "output"]
    while stack:
        n = stack.pop()
        if n not in needed:
            needed.add(n)
            stack.extend(n.all_input_nodes)
    for n in nodes:
        if n not in needed and n.op != "output" and all(i in in_features for i in n.all_input_nodes):
            in_features.add(n)
    in_head = {n for n in nodes if n not in in_features and n.op != "placeholder"}

    # A value computed in features and used in head must cross as a tensor (features returns
    # List[Tensor]). Parameters/buffers and non-tensor values (sizes, shapes) are recomputed in
    # the head instead, which may in turn need their own inputs: repeat until only tensors cross.
    while True:
        crossing = {i for n in in_head for i in n.all_input_nodes if i not in in_head}
        recompute = {i for i in crossing if i is not cut and i.op != "placeholder"
                     and (i.op == "get_attr" or not isinstance(values[i], torch.Tensor))}
        if not recompute:
            break
        in_head |= recompute
    if cut not in crossing:
        raise CamunitExportError(
            f"The output of layer '{layer}' does not reach the output of {type(model).__name__}, "
            "so a CAM of it would be empty. Choose a layer on the path to the scores.")
    # The cut first (as the layout presents it: the grid, then any prefix tokens); the others in
    # graph order, so the order is deterministic.
    others = [n for n in nodes if n in crossing and n is not cut]

    fg = torch.fx.Graph()
    env = {inputs[0]: fg.placeholder("x")}
    for n in nodes:
        if n in in_features and n.op != "placeholder":
            env[n] = fg.node_copy(n, lambda a: env[a])
    presented = _present(lambda f, *args: fg.call_function(f, args), env[cut], layout)
    fg.output(presented + [env[n] for n in others])

    hg = torch.fx.Graph()
    acts = hg.placeholder("acts")
    # Cloned because the rest of the network may work in place (ReLU(inplace=True), out += skip):
    # that would fail on the leaf tensor a caller differentiates against, and would corrupt acts
    # a caller reuses (one features call, a head call per target class).
    taken = [hg.call_method("clone", (hg.call_function(operator.getitem, (acts, i)),))
             for i in range(len(presented) + len(others))]
    env = {cut: _restore(lambda f, *args: hg.call_function(f, args), taken[:len(presented)], layout)}
    env.update(zip(others, taken[len(presented):]))
    for n in nodes:
        if n in in_head:
            env[n] = hg.node_copy(n, lambda a: env[a])
    examples = _present(_eager, values[cut], layout) + [values[n] for n in others]
    return torch.fx.GraphModule(gm, fg), torch.fx.GraphModule(gm, hg), [t.detach() for t in examples]


# --------------------------------------------------------------------------------------------
# The scripted module
# --------------------------------------------------------------------------------------------

class _CamReady(nn.Module):
    """Dispatches features/head to the traced halves of the layer with the given index."""

    def __init__(self, full: nn.Module, features: List[nn.Module], heads: List[nn.Module],
                 counts: List[int], names: List[str]):
        super().__init__()
        self.full = full
        self.cut_features = nn.ModuleList(features)
        self.cut_heads = nn.ModuleList(heads)
        self.counts = counts  # how many tensors features returns per layer, to check head's input
        self.names = names

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.full(x)

    @torch.jit.export
    def features(self, x: torch.Tensor, layer: torch.Tensor) -> List[torch.Tensor]:
        index = int(layer.item())
        # ModuleList loops are unrolled by TorchScript, which is how a runtime index picks a module.
        for i, f in enumerate(self.cut_features):
            if i == index:
                return f(x)
        raise RuntimeError("camunit: layer index " + str(index) + " is out of range; this file has "
                           + str(len(self.names)) + " layers " + str(self.names))

    @torch.jit.export
    def head(self, acts: List[torch.Tensor], layer: torch.Tensor) -> torch.Tensor:
        index = int(layer.item())
        for i, h in enumerate(self.cut_heads):
            if i == index:
                if len(acts) != self.counts[i]:
                    raise RuntimeError("camunit: head of layer '" + self.names[i] + "' needs the "
                                       + str(self.counts[i]) + " tensors features returns, got "
                                       + str(len(acts)))
                return h(acts)
        raise RuntimeError("camunit: layer index " + str(index) + " is out of range; this file has "
                           + str(len(self.names)) + " layers " + str(self.names))


def _close(a: torch.Tensor, b: torch.Tensor) -> bool:
    # Tolerance scaled to the reference's magnitude, not absolute: float error is relative, and
    # untrained nets can have logits of 1e-10 (MobileNetV2) where any absolute atol passes anything.
    scale = max(float(b.abs().max()), torch.finfo(b.dtype).tiny)
    return a.shape == b.shape and bool((a - b).abs().max() <= 1e-5 * scale)


def _check(loaded, model: nn.Module, layers: List[str], layouts: Dict[str, Layout], x: torch.Tensor):
    """Compares the loaded export with the eager model on `x`: forward, element 0 of features
    (and the prefix tokens) against a forward hook on each layer presented in its layout, and
    head(features) against the model's output."""
    modules = dict(model.named_modules())
    captured = {}
    # Cloned: a later in-place op (ReLU(inplace=True)) would otherwise change what was captured.
    hooks = [modules[name].register_forward_hook(
        lambda m, i, o, name=name: captured.__setitem__(name, o.clone())) for name in layers]
    try:
        with torch.no_grad():
            reference = model(x)
    except (RuntimeError, torch.jit.Error) as e:
        raise CamunitExportError(
            f"{type(model).__name__} fails for an input of shape {list(x.shape)} ({_short(e)}); camunit "
            "checks the export with another batch size and needs a model that accepts any.") from e
    finally:
        for h in hooks:
            h.remove()
    with torch.no_grad():
        if not _close(loaded.forward(x), reference):
            raise CamunitExportError(
                f"The traced forward differs from {type(model).__name__} for an input of shape "
                f"{list(x.shape)}: torch.jit.trace baked in a value (often the batch size, or a "
                "branch taken on a tensor value). Make forward independent of the batch size.")
        for i, name in enumerate(layers):
            index = torch.tensor(i, dtype=torch.int64)
            acts = loaded.features(x, index)
            for k, expected in enumerate(_present(_eager, captured[name], layouts[name])):
                if not _close(acts[k], expected):
                    what = "the output" if k == 0 else "the prefix tokens of the output"
                    raise CamunitExportError(
                        f"features(x, {i})[{k}] differs from {what} of layer '{name}' (layout "
                        f"{layouts[name]}) for an input of shape {list(x.shape)}: the split graph "
                        "does not reproduce the model (something in it is not captured by "
                        "torch.fx/torch.jit.trace). Choose another layer, or export a sub-module.")
            out = loaded.head(acts, index)
            if not _close(out, reference):
                diff = float((out - reference).abs().max()) if out.shape == reference.shape else None
                raise CamunitExportError(
                    f"head(features(x, {i}), {i}) differs from forward(x) for layer '{name}' and an "
                    f"input of shape {list(x.shape)} (max abs difference {diff}, shapes "
                    f"{list(out.shape)} vs {list(reference.shape)}). Something in the head is not a "
                    "pure function of the traced graph (randomness, state changed during forward, "
                    "values baked in by tracing). Choose another layer or make forward deterministic.")


@contextlib.contextmanager
def _differentiable(model: nn.Module):
    """Autograd on and every parameter requiring gradients while tracing: some modules take a
    forward-only fast path otherwise (nn.MultiheadAttention in eval mode under no_grad), which
    tracing would freeze into the file where no gradient method could differentiate it."""
    frozen = [p for p in model.parameters() if not p.requires_grad]
    for p in frozen:
        p.requires_grad_(True)
    try:
        with torch.enable_grad():
            yield
    finally:
        for p in frozen:
            p.requires_grad_(False)


def _check_gradients(loaded, model: nn.Module, layers: List[str], layouts: Dict[str, Layout], x: torch.Tensor):
    """Differentiates each head once. Refuses a head that cannot be differentiated, and a token
    layer whose grid does not reach the scores while its prefix tokens do (a ViT cut after its
    last attention: the classifier reads the class token only), where every map would be empty.
    Exact zeros: the gradient of a token that does not flow into the scores is exactly 0. A model
    whose scores depend on nothing (torchvision's ViT head starts at zero) is not refused."""
    weights = None
    for i, name in enumerate(layers):
        layout = layouts[name]
        index = torch.tensor(i, dtype=torch.int64)
        acts = [a.detach().requires_grad_(a.is_floating_point()) for a in loaded.features(x, index)]
        out = loaded.head(acts, index)
        if weights is None:  # random weights for the scores, so that no two gradients cancel
            weights = torch.randn(out.shape, generator=torch.Generator().manual_seed(0), dtype=out.dtype)
        with_prefix = layout.kind == "tokens" and bool(layout.prefix)
        try:
            grads = torch.autograd.grad((out * weights).sum(), acts[:2] if with_prefix else acts[:1],
                                        allow_unused=True)
        except RuntimeError as e:
            raise CamunitExportError(
                f"The exported head of layer '{name}' cannot be differentiated ({_short(e)}), so no "
                "gradient method could run at it. Some operation in the rest of "
                f"{type(model).__name__} has no gradient as traced; choose another layer.") from e
        if with_prefix and (grads[0] is None or not bool(grads[0].any())) \
                and grads[1] is not None and bool(grads[1].any()):
            raise CamunitExportError(
                f"The grid tokens of layer '{name}' ({layout}) do not reach the scores of "
                f"{type(model).__name__}: the gradient of the scores with respect to them is exactly 0, "
                "while that of the prefix tokens is not, so every map at this layer would be empty. In a "
                "ViT this is the last block's output or anything after it: the classifier reads the class "
                "token, and after the last attention no other token flows into it. Choose the input of "
                "the last block's attention (its first norm: torchvision "
                "encoder.layers.encoder_layer_<last>.ln_1, timm blocks.<last>.norm1).")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def _check_layers(model: nn.Module, layers) -> List[str]:
    if isinstance(layers, str):
        layers = [layers]
    layers = list(layers)
    if not layers:
        raise CamunitExportError("No layers given: pass at least one module path, e.g. ['layer4'].")
    names = [n for n, _ in model.named_modules() if n]
    for name in layers:
        if not isinstance(name, str) or name not in names:
            close = difflib.get_close_matches(str(name), names, n=5, cutoff=0.6)
            top = [n for n in names if "." not in n]
            hint = (f"Did you mean {close}? " if close else "") + \
                f"Top-level modules: {top[:20]}{' ...' if len(top) > 20 else ''}."
            raise CamunitExportError(
                f"Unknown layer {name!r} in {type(model).__name__}. Layers are module paths from "
                f"model.named_modules(). {hint} List them all with "
                "[n for n, _ in model.named_modules()].")
    if len(set(layers)) != len(layers):
        raise CamunitExportError(f"Layers are repeated in {layers}; name each layer once.")
    return layers


def _biased_layers(model: nn.Module) -> List[str]:
    """Every Conv2d and BatchNorm2d with a bias, in module order: the layers whose bias-gradients
    FullGrad sums (pytorch-grad-cam's rule; a Linear's bias adds a constant, no spatial map)."""
    return [name for name, m in model.named_modules()
            if name and isinstance(m, (nn.Conv2d, nn.BatchNorm2d)) and m.bias is not None]


def _effective_bias(model: nn.Module, name: str) -> List[float]:
    """The bias `name` adds per output channel; a BatchNorm2d's in eval mode, folded with its running
    statistics (Srinivas and Fleuret's reference code)."""
    m = model.get_submodule(name)
    with torch.no_grad():
        if isinstance(m, nn.BatchNorm2d):
            if m.running_mean is None or m.running_var is None:
                raise CamunitExportError(
                    f"BatchNorm2d '{name}' keeps no running statistics (track_running_stats=False), so the bias "
                    "it adds depends on each batch and FullGrad cannot be computed; export without "
                    "full_gradient (--full-gradient).")
            b = m.bias.double() - m.running_mean.double() * m.weight.double() \
                / torch.sqrt(m.running_var.double() + m.eps)
        else:
            b = m.bias.double()
    values = [float(v) for v in b]
    if not all(math.isfinite(v) for v in values):
        raise CamunitExportError(f"The bias of layer '{name}' is not finite ({values}); FullGrad cannot use it.")
    return values


def exporter_version() -> Optional[str]:
    """The camunit version this exporter records in camunit.json; None in a source checkout, where
    the build has not written it."""
    return None if CAMUNIT_VERSION.startswith("@") else CAMUNIT_VERSION


TASKS = ("classification", "segmentation", "detection")


def _check_task(task: Optional[str], model: nn.Module, classes, example: torch.Tensor, output: torch.Tensor):
    """Checks that the output on the example input has the shape the task's convention asks for
    (docs/cam-ready-contract.md): classification N x K, segmentation N x K x h x w, detection
    N x M x (4 + 1 + K) with boxes x1, y1, x2, y2 in input pixels."""
    if task is None:
        return
    if task not in TASKS:
        raise CamunitExportError(f"Unknown task {task!r}; expected one of {', '.join(TASKS)} (or none, to let "
                                 "camunit infer it from the output's shape).")
    name = type(model).__name__
    shape = list(output.shape)
    if task == "classification" and output.dim() != 2:
        raise CamunitExportError(
            f"task 'classification' expects {name}.forward to return N x K class scores; it returns a Tensor "
            f"of shape {shape} for an input of shape {list(example.shape)}.")
    if task == "segmentation" and output.dim() != 4:
        raise CamunitExportError(
            f"task 'segmentation' expects {name}.forward to return N x K x h x w class scores per pixel; it "
            f"returns a Tensor of shape {shape} for an input of shape {list(example.shape)}.")
    if task != "detection":
        return
    if output.dim() != 3 or output.shape[-1] < 6:
        raise CamunitExportError(
            f"task 'detection' expects {name}.forward to return the candidate boxes before non-maximum "
            "suppression as N x M x (4 + 1 + K): x1, y1, x2, y2 in input pixels, one objectness logit and "
            f"K >= 1 class logits; it returns a Tensor of shape {shape} for an input of shape "
            f"{list(example.shape)}. Return the raw candidates (no NMS, no post-processing into lists).")
    k = output.shape[-1] - 5
    if classes is not None and len(list(classes)) != k:
        raise CamunitExportError(
            f"{len(list(classes))} class names given, but the detector's output N x M x (4 + 1 + K) has last "
            f"dimension {output.shape[-1]}, so K = {k} class logits; give one name per class logit (no "
            "background class: objectness is the separate logit after the box).")
    boxes = output[..., 0:4]
    if not bool(torch.isfinite(boxes).all()):
        raise CamunitExportError(
            f"The detector's boxes (output[..., 0:4]) are not all finite on the example input of shape "
            f"{list(example.shape)}; check the box decoding (an exp without a clamp overflows).")
    height, width = int(example.shape[-2]), int(example.shape[-1])
    # Boxes in input pixels spread over the input; normalised ones (clipped to [0, 1] or a little
    # beyond it, unclipped) all lie within a pixel or two of the corner, which no pixel detector does.
    if max(height, width) > 8 and output.shape[1] > 0 and bool(((boxes >= -1) & (boxes <= 2)).all()):
        raise CamunitExportError(
            f"The detector's boxes look normalised to [0, 1] (every coordinate of output[..., 0:4] lies in "
            f"[-1, 2] on a {width}x{height} input); the convention is input pixels: x1, y1, x2, y2 with x in "
            f"[0, {width}] and y in [0, {height}]. Multiply x by the input width and y by its height in "
            "forward.")


def _metadata(layers: List[str], layouts: Dict[str, Layout], classes, input, example: torch.Tensor,
              output: torch.Tensor, task: Optional[str] = None,
              biases: Optional[Dict[str, List[float]]] = None) -> dict:
    meta = {"format": FORMAT}
    version = exporter_version()
    if version is not None:
        meta["exporter"] = version
    if task is not None:
        meta["task"] = task
    meta["layers"] = layers
    # Only layers that are not nchw, and no field without one: CNN files stay as they were.
    if any(layout != NCHW for layout in layouts.values()):
        meta["layouts"] = {name: str(layouts[name]) for name in layers if layouts[name] != NCHW}
    if biases:
        meta["biases"] = biases
    if classes is not None:
        classes = list(classes)
        if not all(isinstance(c, str) for c in classes):
            raise CamunitExportError(f"classes must be a list of strings; got {classes!r}.")
        if output.dim() == 2 and len(classes) != output.shape[1]:
            raise CamunitExportError(
                f"{len(classes)} class names given but the model outputs {output.shape[1]} scores; "
                "give one name per output (or set the model's number of classes).")
        meta["classes"] = classes
    if input is not None:
        unknown = set(input) - {"height", "width", "mean", "std"}
        if unknown or "height" not in input or "width" not in input:
            raise CamunitExportError(
                f"input must be a dict with height, width and optionally mean, std; got {input!r}.")
        spec = {}
        for key in ("height", "width"):
            if not isinstance(input[key], int) or input[key] < 1:
                raise CamunitExportError(f"input['{key}'] must be a positive int; got {input[key]!r}.")
            spec[key] = input[key]
        for key in ("mean", "std"):
            if key in input:
                values = [float(v) for v in input[key]]
                if len(values) != example.shape[1]:
                    raise CamunitExportError(
                        f"input['{key}'] has {len(values)} values but the example input has "
                        f"{example.shape[1]} channels; give one per channel.")
                if key == "std" and min(values) <= 0:
                    raise CamunitExportError(f"input['std'] must be positive; got {values}.")
                spec[key] = values
        meta["input"] = spec
    return meta


def export(model: nn.Module, example_input: torch.Tensor, layers: Sequence[str], path: str,
           classes: Optional[Sequence[str]] = None, input: Optional[dict] = None,
           layouts: Optional[Dict[str, str]] = None, task: Optional[str] = None,
           full_gradient: bool = False):
    """Writes a CAM-ready TorchScript file of `model` to `path` and returns the loaded module.

    model          any torch.fx-traceable nn.Module whose forward takes one image tensor and
                   returns a score tensor; it is put in eval mode.
    example_input  an input tensor N x C x H x W (N >= 1) used for tracing and checking; the
                   exported file accepts any batch size.
    layers         module paths from model.named_modules() to cut at (their output is what a
                   layer CAM explains), in the order the layer index refers to.
    path           where to write the file.
    classes        optional class names, one per output score.
    input          optional {"height", "width", "mean", "std"} describing the expected input.
    layouts        optional {layer: layout} for layers whose output is not read right from its
                   shape: "nhwc" (channels-last 4-D), "tokens:P" or "tokens:P:WxH" (P prefix
                   tokens, then a grid W wide and H high), "nchw"; see the module docstring. Others are
                   inferred: 4-D is nchw, 3-D is tokens.
    task           optional "classification" (output N x K), "segmentation" (N x K x h x w) or
                   "detection" (N x M x (4 + 1 + K): candidate boxes x1, y1, x2, y2 in input pixels
                   before non-maximum suppression, an objectness logit, K class logits); the
                   output on the example is checked against it and camunit.json records it.
                   Without it, camunit infers the kind of model from the output's rank.
    full_gradient  also cut after every Conv2d and BatchNorm2d with a bias and record the biases,
                   so that camunit can compute FullGrad (`layers` may then be empty).

    Raises CamunitExportError when a layer is unknown or unsuitable, a layout is wrong or
    ambiguous, the model cannot be traced, or the exported halves do not reproduce the model.
    """
    if not isinstance(example_input, torch.Tensor) or example_input.dim() != 4:
        raise CamunitExportError(
            "example_input must be one tensor N x C x H x W (e.g. torch.randn(2, 3, 224, 224)); got "
            f"{_describe(example_input)}.")
    biases = None
    if full_gradient:
        biased = _biased_layers(model)
        if not biased:
            raise CamunitExportError(
                f"full_gradient: {type(model).__name__} has no Conv2d or BatchNorm2d with a bias, so FullGrad has "
                "no bias term to sum (it would be the input-gradient term alone); export without it.")
        asked = [layers] if isinstance(layers, str) else list(layers)
        layers = asked + [n for n in biased if n not in asked]
        model.eval()
        biases = {n: _effective_bias(model, n) for n in biased}
    layers = _check_layers(model, layers)
    requested = _requested_layouts(layers, layouts)
    model.eval()
    example = example_input.detach()

    output, layouts = _probe(model, layers, example, requested)
    _check_task(task, model, classes, example, output)
    features, heads, counts = [], [], []
    with _differentiable(model):
        for layer in layers:
            fgm, hgm, carried = _split(model, layer, layouts[layer], example)
            # Lists of tensors are fixed-structure here (one per crossing value), so strict=False
            # is safe; our own check below replaces check_trace.
            features.append(torch.jit.trace(fgm, (example,), strict=False, check_trace=False))
            carried = [c.requires_grad_(c.is_floating_point()) for c in carried]
            heads.append(torch.jit.trace(hgm, (carried,), check_trace=False))
            counts.append(len(carried))
        full = torch.jit.trace(model, (example,), check_trace=False)
    meta = _metadata(layers, layouts, classes, input, example, output, task, biases)

    scripted = torch.jit.script(_CamReady(full, features, heads, counts, layers))
    buffer = io.BytesIO()
    torch.jit.save(scripted, buffer, _extra_files={METADATA_FILE: json.dumps(meta)})
    # Check what will be on disk, with the example and with a batch of another size (a mirrored
    # first sample appended), so a batch size baked in by tracing is caught.
    loaded = torch.jit.load(io.BytesIO(buffer.getvalue()))
    other = torch.cat([example, example[:1].flip(-1)])
    for x in (example, other):
        try:
            _check(loaded, model, layers, layouts, x)
        except (RuntimeError, torch.jit.Error) as e:  # e.g. a batch size frozen by tracing
            # (torch.jit.Error is not a RuntimeError in torch 1.13.)
            raise CamunitExportError(
                f"The exported module fails for an input of shape {list(x.shape)} although "
                f"{type(model).__name__} accepts it: {_short(e)}. torch.jit.trace probably baked in "
                "a value such as the batch size (int(x.shape[0]), x.view(2, -1)); make forward use "
                "x.shape[0] / torch.flatten without converting to Python numbers.") from e
    _check_gradients(loaded, model, layers, layouts, example)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return loaded


def export_plain(model: nn.Module, example_input: torch.Tensor, path: str):
    """Writes a plain TorchScript file (torch.jit.trace of forward, no features/head, no metadata)
    and returns the traced module. camunit can use it for input-gradient and perturbation methods,
    not for layer CAMs."""
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, (example_input.detach(),))
    traced.save(path)
    return traced


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def _floats(text: str) -> List[float]:
    try:
        return [float(v) for v in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated numbers, got {text!r}")


SIZE_FORM = "WIDTHxHEIGHT"


def _size(text: str):
    """Reads a size written WIDTHxHEIGHT, as camunit writes sizes everywhere (224x160 is 224 wide, 160 high).

    Returns (width, height). A pair of numbers in PyTorch's tensor order, such as (160, 224) or 160,224,
    is refused saying which order camunit means, as is a single number.
    """
    t = text.strip()
    expected = f"expected {SIZE_FORM} in pixels, e.g. 224x160 for an image 224 wide and 160 high"
    m = re.fullmatch(r"(\d+)[xX](\d+)", t)
    if m:
        width, height = int(m.group(1)), int(m.group(2))
        if width < 1 or height < 1:
            raise argparse.ArgumentTypeError(f"{expected}; got {text!r}: both numbers must be at least 1")
        return width, height
    pair = re.fullmatch(r"[(\[]?\s*(\d+)\s*[,;*\s\u00d7]\s*(\d+)\s*[)\]]?", t)
    if pair:
        raise argparse.ArgumentTypeError(
            f"{expected}; got {text!r}, which reads like a tensor shape (HEIGHT, WIDTH) as PyTorch writes it. "
            f"camunit writes sizes width first: if you mean {pair.group(2)} wide and {pair.group(1)} high, "
            f"write {pair.group(2)}x{pair.group(1)}")
    if re.fullmatch(r"\d+", t):
        raise argparse.ArgumentTypeError(f"{expected}; got {text!r}, a single number: write both, e.g. {t}x{t}")
    raise argparse.ArgumentTypeError(f"{expected}; got {text!r}")


def _load_factory(spec: str):
    """Imports 'pkg.mod:function' or 'path/to/file.py:function' and returns the function."""
    if ":" not in spec:
        raise CamunitExportError(f"--module needs MODULE:FUNCTION, e.g. mypkg.models:build; got {spec!r}.")
    module_name, function = spec.rsplit(":", 1)
    if module_name.endswith(".py"):
        location = importlib.util.spec_from_file_location("camunit_user_model", module_name)
        if location is None or not os.path.exists(module_name):
            raise CamunitExportError(f"--module: no such file {module_name!r}.")
        module = importlib.util.module_from_spec(location)
        sys.path.insert(0, os.path.dirname(os.path.abspath(module_name)))
        location.loader.exec_module(module)
    else:
        sys.path.insert(0, os.getcwd())  # like `python -m`, so local packages import
        module = importlib.import_module(module_name)
    if not callable(getattr(module, function, None)):
        raise CamunitExportError(f"--module: {module_name} has no function {function!r}.")
    return getattr(module, function)


def _torchvision_model(name: str, num_classes: Optional[int]) -> nn.Module:
    import torchvision
    builder = getattr(torchvision.models, name, None)
    if not callable(builder) or name.startswith("_") or name[0].isupper():
        available = sorted(n for n in dir(torchvision.models)
                           if n[0].islower() and not n.startswith(("get", "list")) and callable(getattr(torchvision.models, n)))
        close = difflib.get_close_matches(name, available, n=5)
        raise CamunitExportError(
            f"torchvision.models has no model builder {name!r}. "
            + (f"Did you mean {close}? " if close else "") + f"Available: {', '.join(available)}.")
    kwargs = {"weights": None}  # random weights: never download
    if num_classes is not None:
        kwargs["num_classes"] = num_classes
    return builder(**kwargs)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="camunit_export.py",
        description="Export a PyTorch model as a CAM-ready TorchScript file for camunit "
                    "(forward, features(x, layer), head(acts, layer) and camunit.json).",
        epilog="examples:\n"
               "  %(prog)s --torchvision resnet18 --layers layer3,layer4 --size 224x224 --out r18.pt\n"
               "  %(prog)s --module mypkg.models:build --layers features.7 --size 96x96 \\\n"
               "      --classes cat,dog --mean 0.5,0.5,0.5 --std 0.25,0.25,0.25 --out cls.pt\n"
               "  %(prog)s --torchvision vit_b_16 --layers encoder.layers.encoder_layer_11.ln_1 \\\n"
               "      --size 224x224 --out vit.pt\n"
               "  %(prog)s --torchvision swin_t --layers features.7 --layout features.7=nhwc \\\n"
               "      --size 224x224 --out swin.pt\n\n"
               "List layer names with: [n for n, _ in model.named_modules()].\n"
               "Weights are never downloaded: --torchvision models have random weights (to try the "
               "tool).\nFor a trained model, write a function that builds it and loads its weights, "
               "and pass it with --module.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version",
                        version=f"camunit_export.py of camunit {exporter_version() or '(source checkout)'}")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--torchvision", metavar="NAME",
                        help="a torchvision.models builder, e.g. resnet18, vgg11, mobilenet_v2, "
                             "densenet121, efficientnet_b0 (random weights)")
    source.add_argument("--module", metavar="MODULE:FUNCTION",
                        help="import MODULE (dotted name, or a .py file) and call FUNCTION() to get "
                             "the model, weights loaded")
    parser.add_argument("--layers", default=[], type=lambda s: [v for v in s.split(",") if v],
                        help="comma-separated module paths to cut at, e.g. layer3,layer4 (required unless "
                             "--full-gradient is given)")
    parser.add_argument("--size", required=True, type=_size, metavar=SIZE_FORM,
                        help="input size, width first as camunit writes every size: 224x160 is 224 wide and 160 "
                             "high (used for tracing and stored as input.width and input.height)")
    parser.add_argument("--out", required=True, help="output .pt file")
    parser.add_argument("--channels", type=int, default=3, help="input channels (default 3)")
    parser.add_argument("--num-classes", type=int, help="number of outputs for --torchvision models")
    parser.add_argument("--classes", type=lambda s: s.split(","),
                        help="comma-separated class names, one per output")
    parser.add_argument("--classes-file", help="a text file with one class name per line")
    parser.add_argument("--mean", type=_floats, help="per-channel normalisation mean, e.g. "
                        "0.485,0.456,0.406 (default for --torchvision: ImageNet)")
    parser.add_argument("--std", type=_floats, help="per-channel normalisation std, e.g. "
                        "0.229,0.224,0.225 (default for --torchvision: ImageNet)")
    parser.add_argument("--layout", action="append", default=[], metavar="LAYER=LAYOUT",
                        help="how a layer's output is laid out, when its shape does not say: "
                             "LAYER=nhwc (channels-last, e.g. Swin's stages), LAYER=tokens:P or "
                             "LAYER=tokens:P:WxH (P prefix tokens, then a grid W wide and H high), LAYER=nchw; "
                             "repeat for several layers (3-D token outputs are inferred when unambiguous)")
    parser.add_argument("--task", choices=TASKS,
                        help="what the model's output is, checked on the trial input and recorded in "
                             "camunit.json: classification (N x K scores), segmentation (N x K x h x w) "
                             "or detection (N x M x (4 + 1 + K) candidate boxes before NMS: x1, y1, x2, y2 "
                             "in input pixels, an objectness logit, K class logits); default: inferred by "
                             "camunit from the output's shape")
    parser.add_argument("--full-gradient", action="store_true",
                        help="also cut after every Conv2d and BatchNorm2d with a bias and record the biases "
                             "(camunit.json 'biases'), so that camunit can compute FullGrad (--method fullgrad)")
    parser.add_argument("--plain", metavar="FILE",
                        help="also write a plain TorchScript (forward only) to FILE")
    args = parser.parse_args(argv)
    if not args.layers and not args.full_gradient:
        parser.error("--layers is required (comma-separated module paths, e.g. layer3,layer4) unless "
                     "--full-gradient is given")

    try:
        if args.torchvision:
            model = _torchvision_model(args.torchvision, args.num_classes)
            mean = args.mean or IMAGENET_MEAN
            std = args.std or IMAGENET_STD
        else:
            model = _load_factory(args.module)()
            if not isinstance(model, nn.Module):
                raise CamunitExportError(f"{args.module} returned {type(model).__name__}, not an nn.Module.")
            mean, std = args.mean, args.std
        classes = args.classes
        if args.classes_file:
            with open(args.classes_file) as f:
                classes = [line.strip() for line in f if line.strip()]
        layouts = {}
        for item in args.layout:
            layer, sep, layout = item.partition("=")
            if not sep or not layer:
                raise CamunitExportError(f"--layout needs LAYER=LAYOUT, e.g. features.7=nhwc; got {item!r}.")
            layouts[layer] = layout
        width, height = args.size
        spec = {"height": height, "width": width}
        if mean is not None:
            spec["mean"] = mean
        if std is not None:
            spec["std"] = std
        torch.manual_seed(0)
        example = torch.randn(2, args.channels, height, width)
        export(model, example, args.layers, args.out, classes=classes, input=spec, layouts=layouts,
               task=args.task, full_gradient=args.full_gradient)
        if args.plain:
            export_plain(model, example, args.plain)
    except CamunitExportError as e:
        print(f"camunit_export: error: {e}", file=sys.stderr)
        return 2
    cut = list(args.layers)
    if args.full_gradient:
        cut += [n for n in _biased_layers(model) if n not in cut]
    print(f"wrote {args.out} (layers {', '.join(cut)}; input {width}x{height}: {width} wide, {height} high)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
