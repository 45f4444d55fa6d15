"""Tests of camunit_export's layouts: transformer token layers (ViT, DeiT) and channels-last
layers (Swin) presented as N x C x h x w at the cut.

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_camunit_export_transformers.py' -v

The models are torchvision's own VisionTransformer and SwinTransformer classes at a small size,
and a DeiT-like model with two prefix tokens (fixtures/generators/tiny_deit.py), all with random
weights. torchvision's ViT starts its head at zero (no score depends on anything, no gradient);
the tests give it random head weights. The references are computed the way pytorch-grad-cam
does with its reshape_transform: forward hooks on the original module, prefix tokens dropped,
the grid reshaped, channels first.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "fixtures", "generators"))
from test_camunit_export import EXPORTER, assert_scaled_close, index, read_metadata  # noqa: E402
from camunit_export import CamunitExportError, export  # noqa: E402
from tiny_deit import TinyDeiT  # noqa: E402

torch.set_num_threads(1)
SIZE = 32


def grid_of(tokens, prefix, h, w):
    """pytorch-grad-cam's reshape_transform: drop the prefix tokens, h x w grid, channels first."""
    return tokens[:, prefix:, :].reshape(tokens.size(0), h, w, tokens.size(2)).permute(0, 3, 1, 2)


def hooked(model, layer, x):
    """The scores and the layer's output (kept in the graph) from a forward hook."""
    store = {}
    handle = dict(model.named_modules())[layer].register_forward_hook(lambda m, i, o: store.__setitem__("a", o))
    try:
        scores = model(x)
    finally:
        handle.remove()
    return scores, store["a"]


def layer_maps(a, g):
    """Grad-CAM, Grad-CAM++ and Layer-CAM maps N x h x w (before the ReLU) from activations and
    gradients N x C x h x w, as camunit defines them (fixtures/generators/tiny_cnn.py)."""
    gradcam = (g.mean((2, 3), keepdim=True) * a).sum(1)
    g2, g3 = g ** 2, g ** 3
    alpha = g2 / (2 * g2 + a.sum((2, 3), keepdim=True) * g3 + 1e-6)
    alpha = torch.where(g != 0, alpha, torch.zeros_like(alpha))
    gradcampp = ((F.relu(g) * alpha).sum((2, 3), keepdim=True) * a).sum(1)
    layercam = (F.relu(g) * a).sum(1)
    return {"grad-cam": gradcam.detach(), "grad-cam++": gradcampp.detach(), "layer-cam": layercam.detach()}


def exported_maps(loaded, i, x, cls):
    """The maps as camunit computes them from Java: features, element 0 made a leaf, head."""
    acts = loaded.features(x, index(i))
    a = acts[0].detach().requires_grad_()
    scores = loaded.head([a] + list(acts[1:]), index(i))
    g, = torch.autograd.grad(scores[:, cls].sum(), a)
    return layer_maps(a.detach(), g)


def small_vit():
    """torchvision's VisionTransformer at 32 x 32 with 8 x 8 patches: 1 class token + 4 x 4 grid."""
    torch.manual_seed(0)
    model = torchvision.models.VisionTransformer(image_size=SIZE, patch_size=8, num_layers=2, num_heads=2,
                                                 hidden_dim=16, mlp_dim=32, num_classes=5)
    # torchvision initialises the head at zero (for fine-tuning): no gradient would reach any layer.
    nn.init.normal_(model.heads.head.weight, std=0.5)
    return model


def small_deit():
    torch.manual_seed(0)
    return TinyDeiT(image=SIZE, patch=8)


def small_swin():
    """torchvision's SwinTransformer at 32 x 32: stages of 8 x 8 (features.1) and 4 x 4 (features.3)."""
    torch.manual_seed(0)
    return torchvision.models.SwinTransformer(patch_size=[4, 4], embed_dim=8, depths=[1, 1], num_heads=[1, 2],
                                              window_size=[2, 2], num_classes=5)


class _ExportedCase:
    """Exports `build()` once at `layers` with `layouts` and compares the file with the module."""
    build = None
    layers = []
    layouts = None
    # per layer: the reference reshape of the hooked output to N x C x h x w
    reference = {}

    @classmethod
    def setUpClass(cls):
        cls.model = cls.build()
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "model.pt")
        torch.manual_seed(1)
        cls.loaded = export(cls.model, torch.randn(2, 3, SIZE, SIZE), cls.layers, cls.path, layouts=cls.layouts)
        cls.x = torch.randn(3, 3, SIZE, SIZE)  # batch size 3 (export used 2)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_head_of_features_equals_forward_at_another_batch_size(self):
        with torch.no_grad():
            expected = self.model(self.x)
            for i, layer in enumerate(self.layers):
                out = self.loaded.head(self.loaded.features(self.x, index(i)), index(i))
                assert_scaled_close(self, out, expected, f"head(features) at layer {layer}")

    def test_element_0_is_the_reference_reshape_of_the_layer_output(self):
        for i, layer in enumerate(self.layers):
            with torch.no_grad():
                _, a = hooked(self.model, layer, self.x)
                acts = self.loaded.features(self.x, index(i))
            assert_scaled_close(self, acts[0], self.reference[layer](a), f"features(x)[0] at layer {layer}")

    def test_grad_cam_grad_cam_plus_plus_and_layer_cam_equal_the_reference(self):
        with torch.no_grad():
            cls = int(self.model(self.x)[0].argmax())
        for i, layer in enumerate(self.layers):
            scores, a = hooked(self.model, layer, self.x)
            g, = torch.autograd.grad(scores[:, cls].sum(), a)
            expected = layer_maps(self.reference[layer](a.detach()), self.reference[layer](g))
            actual = exported_maps(self.loaded, i, self.x, cls)
            for method in expected:
                assert_scaled_close(self, actual[method], expected[method], f"{method} at layer {layer}")


class TinyDeitTest(_ExportedCase, unittest.TestCase):
    build = staticmethod(small_deit)
    # blocks.1.norm1: the last block's attention input, P given; blocks.0: everything inferred.
    layers = ["blocks.1.norm1", "blocks.0"]
    layouts = {"blocks.1.norm1": "tokens:2"}
    reference = {layer: (lambda t: grid_of(t, 2, 4, 4)) for layer in layers}

    def test_the_layouts_are_completed_and_recorded(self):
        self.assertEqual(read_metadata(self.path), {
            "format": 1, "layers": self.layers,
            "layouts": {"blocks.1.norm1": "tokens:2:4x4", "blocks.0": "tokens:2:4x4"}})

    def test_the_prefix_tokens_cross_the_cut_unchanged_as_element_1(self):
        with torch.no_grad():
            _, a = hooked(self.model, "blocks.1.norm1", self.x)
            acts = self.loaded.features(self.x, index(0))
        self.assertEqual(tuple(acts[1].shape), (3, 2, 32))
        assert_scaled_close(self, acts[1], a[:, :2], "prefix tokens")

    def test_gradients_of_the_prefix_tokens_do_not_enter_the_map(self):
        with torch.no_grad():
            cls = int(self.model(self.x)[0].argmax())
        scores, a = hooked(self.model, "blocks.1.norm1", self.x)
        g, = torch.autograd.grad(scores[:, cls].sum(), a)
        self.assertGreater(float(g[:, :2].abs().min()), 0.0, "the prefix tokens do have gradients")
        acts = self.loaded.features(self.x, index(0))
        grid = acts[0].detach().requires_grad_()
        grad, = torch.autograd.grad(self.loaded.head([grid] + list(acts[1:]), index(0))[:, cls].sum(), grid)
        # Grad-CAM's channel weights: the mean over the 16 grid tokens' gradients, not over all 18.
        assert_scaled_close(self, grad.mean((2, 3)), g[:, 2:].mean(1), "weights from the grid tokens")
        # ... which differs from the mean over all tokens by far more than that comparison's tolerance.
        scale = float(g[:, 2:].mean(1).abs().max())
        self.assertGreater(float((grad.mean((2, 3)) - g.mean(1)).abs().max()), 1e-2 * scale)

    def test_the_last_block_output_is_refused_because_its_grid_does_not_reach_the_scores(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(CamunitExportError, r"grid tokens of layer 'blocks\.1' \(tokens:2:4x4\) do "
                                        r"not reach the scores(.|\n)*input of the last block's attention"):
                export(self.model, torch.randn(2, 3, SIZE, SIZE), ["blocks.1"], os.path.join(tmp, "m.pt"))
            self.assertFalse(os.path.exists(os.path.join(tmp, "m.pt")))


class TorchvisionVitTest(_ExportedCase, unittest.TestCase):
    build = staticmethod(small_vit)
    # Layouts inferred: 17 tokens at 32 x 32 can only be 1 prefix token and a 4 x 4 grid.
    layers = ["encoder.layers.encoder_layer_1.ln_1", "encoder.layers.encoder_layer_0"]
    reference = {layer: (lambda t: grid_of(t, 1, 4, 4)) for layer in layers}

    def test_the_class_token_layout_is_inferred(self):
        self.assertEqual(read_metadata(self.path)["layouts"], {layer: "tokens:1:4x4" for layer in self.layers})

    def test_the_head_differentiates_through_multihead_attention(self):
        # Traced under no_grad, nn.MultiheadAttention's fast path (no derivative) would be frozen in.
        acts = self.loaded.features(self.x, index(1))
        grid = acts[0].detach().requires_grad_()
        grad, = torch.autograd.grad(self.loaded.head([grid] + list(acts[1:]), index(1))[:, 0].sum(), grid)
        self.assertGreater(float(grad.abs().sum()), 0.0)
        x = self.x.clone().requires_grad_()
        grad, = torch.autograd.grad(self.loaded.forward(x)[:, 0].sum(), x)
        self.assertGreater(float(grad.abs().sum()), 0.0, "forward, for the input-gradient methods")

    def test_the_last_block_output_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(CamunitExportError, r"'encoder\.layers\.encoder_layer_1' \(tokens:1:4x4\) do not "
                                        r"reach(.|\n)*encoder\.layers\.encoder_layer_<last>\.ln_1"):
                export(self.model, torch.randn(2, 3, SIZE, SIZE), ["encoder.layers.encoder_layer_1"],
                       os.path.join(tmp, "m.pt"))


class TorchvisionSwinTest(_ExportedCase, unittest.TestCase):
    build = staticmethod(small_swin)
    layers = ["features.3", "features.1"]
    layouts = {"features.3": "nhwc", "features.1": "nhwc"}
    reference = {layer: (lambda t: t.permute(0, 3, 1, 2)) for layer in layers}

    def test_the_channels_last_layouts_are_recorded(self):
        self.assertEqual(read_metadata(self.path)["layouts"], self.layouts)

    def test_a_channels_last_stage_without_a_layout_is_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(CamunitExportError, r"'features\.3' of SwinTransformer returns a Tensor of "
                                        r"shape \[2, 4, 4, 16\](.|\n)*looks channels-last(.|\n)*--layout features\.3=nhwc"):
                export(self.model, torch.randn(2, 3, SIZE, SIZE), ["features.3"], os.path.join(tmp, "m.pt"))


class GapTokens(nn.Module):
    """Patch tokens only (no class token), averaged: 64 tokens at 48 x 48 with 6 x 6 patches."""

    def __init__(self, patch=6):
        super().__init__()
        self.embed = nn.Conv2d(3, 8, patch, patch)
        self.mix = nn.Linear(8, 8)
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return self.fc(self.mix(self.embed(x).flatten(2).transpose(1, 2)).mean(1))


class LayoutErrorTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "out.pt")

    def tearDown(self):
        self.tmp.cleanup()

    def export_fails(self, model, x, layers, layouts, *patterns):
        with self.assertRaises(CamunitExportError) as ctx:
            export(model, x, layers, self.path, layouts=layouts)
        for p in patterns:
            self.assertRegex(str(ctx.exception), p)
        self.assertFalse(os.path.exists(self.path), "nothing may be written on error")

    def test_an_ambiguous_token_count_lists_the_candidate_layouts(self):
        # 64 tokens at 48 x 48: an 8 x 8 grid of 6-pixel patches, or 28 prefix tokens + 6 x 6 of 8 pixels.
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], None,
                          r"64 tokens \(shape \[2, 64, 8\]\), which can be read in 2 ways for a 48x48 input",
                          r"'tokens:0:8x8' \(0 prefix tokens, 8x8 grid\)",
                          r"'tokens:28:6x6' \(28 prefix tokens, 6x6 grid\)", r"--layout mix=tokens:0:8x8")

    def test_a_given_prefix_count_resolves_the_ambiguity(self):
        export(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], self.path, layouts={"mix": "tokens:0"})
        self.assertEqual(read_metadata(self.path)["layouts"], {"mix": "tokens:0:8x8"})

    def test_tokens_that_form_no_grid_ask_for_the_layout(self):
        # 5 x 5 patches of 5 pixels do not tile 32 x 32: no candidate.
        self.export_fails(GapTokens(patch=5), torch.randn(2, 3, 32, 32), ["mix"], None,
                          r"no grid of square patches tiling the 32x32 input", r"'mix': 'tokens:P:WxH'")

    def test_an_explicit_grid_that_does_not_add_up_is_refused(self):
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], {"mix": "tokens:1:8x8"},
                          r"returns 64 tokens \(shape \[2, 64, 8\]\), but layout 'tokens:1:8x8' accounts for 65")

    def test_a_grid_is_written_width_first_like_every_size(self):
        # 48 wide, 32 high, 8-pixel patches: 6 tokens wide, 4 high.
        x = torch.randn(2, 3, 32, 48)
        export(GapTokens(patch=8), x, ["mix"], self.path)
        self.assertEqual(read_metadata(self.path)["layouts"], {"mix": "tokens:0:6x4"})
        export(GapTokens(patch=8), x, ["mix"], self.path, layouts={"mix": "tokens:0:6x4"})
        self.assertEqual(read_metadata(self.path)["layouts"], {"mix": "tokens:0:6x4"})

    def test_a_grid_written_height_first_is_refused_saying_which_is_which(self):
        self.export_fails(GapTokens(patch=8), torch.randn(2, 3, 32, 48), ["mix"], {"mix": "tokens:0:4x6"},
                          r"gives a grid 4 tokens wide and 6 high, which does not have the 48x32 input's aspect ratio",
                          r"written WIDTHxHEIGHT, like every size in camunit: write 'tokens:0:6x4'")

    def test_an_explicit_grid_is_taken_as_given(self):
        export(GapTokens(patch=5), torch.randn(2, 3, 32, 32), ["mix"], self.path, layouts={"mix": "tokens:0:6x6"})
        self.assertEqual(read_metadata(self.path)["layouts"], {"mix": "tokens:0:6x6"})

    def test_a_misspelt_layout_names_the_syntax(self):
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], {"mix": "token:1"},
                          r"Layout 'token:1' of layer 'mix' is not one of 'nchw', 'nhwc', 'tokens'")

    def test_a_layout_for_a_layer_not_exported_is_refused(self):
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], {"embed": "nchw"},
                          r"layouts names layer 'embed', which is not among the layers to export \['mix'\]")

    def test_a_token_layout_for_a_4d_output_is_refused(self):
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["embed"], {"embed": "tokens:1"},
                          r"shape \[2, 8, 8, 8\], but its layout is given as 'tokens:1', which is for 3-D")

    def test_a_channels_last_layout_for_a_3d_output_is_refused(self):
        self.export_fails(GapTokens(), torch.randn(2, 3, 48, 48), ["mix"], {"mix": "nhwc"},
                          r"shape \[2, 64, 8\], but its layout is given as 'nhwc', which is for 4-D outputs")

    def test_nchw_can_be_confirmed_for_an_output_that_looks_channels_last(self):
        swin = small_swin()
        export(swin, torch.randn(2, 3, SIZE, SIZE), ["features.3"], self.path, layouts={"features.3": "nchw"})
        self.assertNotIn("layouts", read_metadata(self.path))


class LayoutCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        with open(os.path.join(self.tmp.name, "deit.py"), "w") as f:
            f.write("import sys, torch\n"
                    f"sys.path.insert(0, {os.path.join(ROOT, 'fixtures', 'generators')!r})\n"
                    "from tiny_deit import TinyDeiT\n"
                    "def build():\n"
                    "    torch.manual_seed(0)\n"
                    "    return TinyDeiT(image=32, patch=8)\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args):
        env = dict(os.environ, OMP_NUM_THREADS="1")
        return subprocess.run([sys.executable, "-W", "ignore", EXPORTER, "--module", "deit.py:build",
                               "--size", "32x32", *args], capture_output=True, text=True, cwd=self.tmp.name,
                              env=env, timeout=300)

    def test_layout_option(self):
        out = os.path.join(self.tmp.name, "deit.pt")
        result = self.run_cli("--layers", "blocks.1.norm1,blocks.0", "--layout", "blocks.1.norm1=tokens:2",
                              "--layout", "blocks.0=tokens:2:4x4", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(read_metadata(out)["layouts"], {"blocks.1.norm1": "tokens:2:4x4", "blocks.0": "tokens:2:4x4"})

    def test_a_layout_option_without_a_layer_is_an_error(self):
        result = self.run_cli("--layers", "blocks.1.norm1", "--layout", "tokens:2", "--out", "x.pt")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--layout needs LAYER=LAYOUT, e.g. features.7=nhwc; got 'tokens:2'", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    unittest.main()
