"""Tests for src/main/python/camunit_export.py (the CAM-ready TorchScript exporter).

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_camunit_export.py' -v

torchvision models are built with random weights (nothing is downloaded) at 64x64 inputs. Every
exported file is loaded back with torch.jit.load and compared with the original nn.Module; the
reference Grad-CAM is computed with forward hooks on the original module, independently of the
exporter's fx split.
"""
import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest
from unittest import mock

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
EXPORTER = os.path.join(ROOT, "src", "main", "python", "camunit_export.py")
sys.path.insert(0, os.path.dirname(EXPORTER))
import camunit_export  # noqa: E402
from camunit_export import CamunitExportError, export, export_plain  # noqa: E402

SIZE = 64
# One thread: on a small shared machine, torch's worker threads spinning against other busy
# processes made the suite ~10x slower than running single-threaded.
torch.set_num_threads(1)


def assert_scaled_close(test, actual, expected, msg, atol=None):
    """max |actual - expected| <= 1e-5 * max |expected| (and < atol if given). Also fails if the
    expected values are near zero, where such a comparison would prove nothing."""
    test.assertEqual(actual.shape, expected.shape, msg)
    scale = float(expected.abs().max())
    test.assertGreater(scale, 1e-6, f"{msg}: degenerate values (max {scale}), the test would be vacuous")
    diff = float((actual - expected).abs().max())
    test.assertLessEqual(diff, 1e-5 * scale, f"{msg}: max abs diff {diff} at scale {scale}")
    if atol is not None:
        test.assertLess(diff, atol, f"{msg}: max abs diff {diff}")


def calibrate_batchnorm(model):
    """Gives BatchNorm layers running statistics from a few random batches. With torchvision's
    initial statistics (mean 0, var 1) MobileNetV2's logits are ~1e-10 and EfficientNet's ~1e-13,
    which would make every comparison vacuous; calibrated, they are ~0.1-10 like a trained net's.
    Leaves the model in training mode."""
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.momentum = None  # cumulative average
    model.train()
    with torch.no_grad():
        for _ in range(2):
            model(torch.randn(8, 3, SIZE, SIZE))


def read_metadata(path):
    extra = {"camunit.json": ""}
    torch.jit.load(path, _extra_files=extra)
    return json.loads(extra["camunit.json"])


def index(i):
    return torch.tensor(i, dtype=torch.int64)


def gradcam_hooks(model, layer, x, cls):
    """Raw (pre-ReLU) Grad-CAM maps N x h x w of `layer` for class `cls`, from the original module."""
    store = {}

    def hook(module, inputs, output):
        store["a"] = output
        # A clone goes on, so an in-place op after the layer (ReLU(inplace=True)) leaves `a` intact.
        return output.clone()

    handle = dict(model.named_modules())[layer].register_forward_hook(hook)
    try:
        scores = model(x)
    finally:
        handle.remove()
    a = store["a"]
    g, = torch.autograd.grad(scores[:, cls].sum(), a)
    return (g.mean((2, 3), keepdim=True) * a).sum(1).detach()


def gradcam_exported(loaded, i, x, cls):
    """The same maps the way camunit computes them from Java: features, detach element 0, head."""
    acts = loaded.features(x, index(i))
    a = acts[0].detach().requires_grad_()
    scores = loaded.head([a] + list(acts[1:]), index(i))
    scores[:, cls].sum().backward()
    return (a.grad.mean((2, 3), keepdim=True) * a).sum(1).detach()


def small_vgg11():
    """VGG-11 as torchvision builds it, with the 4096-wide classifier narrowed to 64 so the file is
    ~40 MB instead of ~500 MB; the convolutional part (where the cuts are) is unchanged."""
    m = torchvision.models.vgg11(weights=None, num_classes=5)
    m.classifier[0] = nn.Linear(512 * 7 * 7, 64)
    m.classifier[3] = nn.Linear(64, 64)
    m.classifier[6] = nn.Linear(64, 5)
    return m


class _TorchvisionCase:
    """Exports one model once (setUpClass) and checks the file against the original module."""
    build = None
    layers = []

    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.model = cls.build()
        # Left in training mode on purpose: export must switch to eval (BatchNorm, Dropout).
        calibrate_batchnorm(cls.model)
        cls.tmp = tempfile.TemporaryDirectory()
        cls.path = os.path.join(cls.tmp.name, "model.pt")
        cls.classes = [f"class{i}" for i in range(5)]
        cls.input = {"height": SIZE, "width": SIZE, "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
        export(cls.model, torch.randn(2, 3, SIZE, SIZE), cls.layers, cls.path,
               classes=cls.classes, input=cls.input)
        cls.loaded = torch.jit.load(cls.path)
        torch.manual_seed(1)
        cls.x = torch.randn(3, 3, SIZE, SIZE)  # a fresh input, batch size 3 (export used 2)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_model_is_in_eval_mode(self):
        self.assertFalse(self.model.training)

    def test_head_of_features_equals_forward_at_another_batch_size(self):
        with torch.no_grad():
            expected = self.model(self.x)
            self.assertEqual(tuple(self.loaded.forward(self.x).shape), (3, 5))
            assert_scaled_close(self, self.loaded.forward(self.x), expected, "forward")
            for i, layer in enumerate(self.layers):
                out = self.loaded.head(self.loaded.features(self.x, index(i)), index(i))
                assert_scaled_close(self, out, expected, f"head(features) at layer {layer}")

    def test_element_0_is_the_layer_output(self):
        modules = dict(self.model.named_modules())
        for i, layer in enumerate(self.layers):
            seen = []
            handle = modules[layer].register_forward_hook(lambda m, inp, out: seen.append(out.clone()))
            with torch.no_grad():
                self.model(self.x)
                acts = self.loaded.features(self.x, index(i))
            handle.remove()
            self.assertEqual(acts[0].dim(), 4)
            assert_scaled_close(self, acts[0], seen[0], f"features(x)[0] at layer {layer}")

    def test_metadata(self):
        meta = read_metadata(self.path)
        self.assertEqual(meta, {"format": 1, "layers": self.layers, "classes": self.classes,
                                "input": self.input})

    def test_gradient_flows_through_head(self):
        for i, layer in enumerate(self.layers):
            acts = self.loaded.features(self.x, index(i))
            a = acts[0].detach().requires_grad_()
            self.loaded.head([a] + list(acts[1:]), index(i))[0, 2].backward()
            self.assertEqual(a.grad.shape, a.shape)
            self.assertGreater(float(a.grad.abs().sum()), 0.0, f"layer {layer}")
            # Only sample 0's score was differentiated: other samples get no gradient.
            self.assertEqual(float(a.grad[1:].abs().sum()), 0.0, f"layer {layer}")

    def test_gradcam_matches_hooks_on_original_module(self):
        with torch.no_grad():
            cls = int(self.model(self.x)[0].argmax())
        for i, layer in enumerate(self.layers):
            expected = gradcam_hooks(self.model, layer, self.x, cls)
            actual = gradcam_exported(self.loaded, i, self.x, cls)
            assert_scaled_close(self, actual, expected, f"Grad-CAM at layer {layer}", atol=1e-5)

    def test_layer_index_out_of_range(self):
        with self.assertRaisesRegex((RuntimeError, torch.jit.Error), "out of range"):
            self.loaded.features(self.x, index(len(self.layers)))


class ResNet18Test(_TorchvisionCase, unittest.TestCase):
    build = staticmethod(lambda: torchvision.models.resnet18(weights=None, num_classes=5))
    # layer2.0.conv1 sits inside a residual block: the block input crosses the cut (downsample path).
    layers = ["layer4", "layer2.0.conv1"]

    def test_skip_connection_is_carried(self):
        self.assertEqual(len(self.loaded.features(self.x, index(0))), 1)
        self.assertEqual(len(self.loaded.features(self.x, index(1))), 2)


class Vgg11Test(_TorchvisionCase, unittest.TestCase):
    build = staticmethod(small_vgg11)
    # features.18 is a conv followed by ReLU(inplace=True): head must not write into acts[0].
    layers = ["features.18", "features.14"]

    def test_head_can_be_called_twice_on_the_same_acts(self):
        acts = self.loaded.features(self.x, index(0))
        a = acts[0].detach().requires_grad_()
        before = a.detach().clone()
        first = self.loaded.head([a], index(0))
        second = self.loaded.head([a], index(0))
        torch.testing.assert_close(first, second, rtol=0, atol=0)
        torch.testing.assert_close(a.detach(), before, rtol=0, atol=0)
        self.assertLess(float(before.min()), 0.0)  # pre-ReLU values, so an in-place ReLU would show


class MobileNetV2Test(_TorchvisionCase, unittest.TestCase):
    build = staticmethod(lambda: torchvision.models.mobilenet_v2(weights=None, num_classes=5))
    layers = ["features.18", "features.10"]


class DenseNet121Test(_TorchvisionCase, unittest.TestCase):
    build = staticmethod(lambda: torchvision.models.densenet121(weights=None, num_classes=5))
    # Inside a dense block the head also needs every earlier layer's output (concatenated later).
    layers = ["features.denseblock4", "features.denseblock3.denselayer5"]

    def test_dense_block_inputs_are_carried(self):
        self.assertEqual(len(self.loaded.features(self.x, index(0))), 1)
        # The transition output and denselayer1..4 outputs cross the cut besides denselayer5's.
        self.assertEqual(len(self.loaded.features(self.x, index(1))), 6)


class EfficientNetB0Test(_TorchvisionCase, unittest.TestCase):
    build = staticmethod(lambda: torchvision.models.efficientnet_b0(weights=None, num_classes=5))
    layers = ["features.8", "features.5"]


# ------------------------------------------------------------------------------------------------
# Errors
# ------------------------------------------------------------------------------------------------

class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4, 2)

    def forward(self, x):
        x = self.conv2(F.relu(self.conv1(x)))
        return self.fc(x.mean((2, 3)))


class DataDependent(Tiny):
    def forward(self, x):
        x = self.conv1(x)
        if x.sum() > 0:  # control flow on a tensor value: torch.fx cannot trace it
            x = -x
        return self.fc(self.conv2(x).mean((2, 3)))


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 1)

    def forward(self, x):
        return self.conv(x), x


class TupleLayer(Tiny):
    def __init__(self):
        super().__init__()
        self.pair = TwoOutputs()

    def forward(self, x):
        a, b = self.pair(self.conv1(x))
        return self.fc((a + b).mean((2, 3)))


class Reused(Tiny):
    def forward(self, x):
        x = self.conv2(self.conv2(self.conv1(x)))
        return self.fc(x.mean((2, 3)))


class BakesBatch(nn.Module):
    def forward(self, x):
        # int() makes torch.jit.trace record the example's batch size as a constant.
        return x * torch.ones(int(x.shape[0]), 1, 1, 1)


class BatchBaked(Tiny):
    def __init__(self):
        super().__init__()
        self.scale = BakesBatch()

    def forward(self, x):
        return self.fc(self.conv2(self.scale(self.conv1(x))).mean((2, 3)))


class UnpacksLeafOutput(Tiny):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool2d(2, return_indices=True)

    def forward(self, x):
        x, _ = self.pool(F.relu(self.conv1(x)))  # unpacking an fx leaf's output (needs _Proxy on 3.11)
        return self.fc(self.conv2(x).mean((2, 3)))


class ErrorTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "out.pt")
        self.x = torch.randn(2, 3, 16, 16)

    def tearDown(self):
        self.tmp.cleanup()

    def assertFails(self, model, layers, *patterns):
        with self.assertRaises(CamunitExportError) as ctx:
            export(model, self.x, layers, self.path)
        for p in patterns:
            self.assertRegex(str(ctx.exception), p)
        self.assertFalse(os.path.exists(self.path), "nothing may be written on error")
        return ctx.exception

    def test_tiny_model_exports(self):  # the control for the failures below
        model = Tiny()
        loaded = export(model, self.x, ["conv1", "conv2"], self.path)
        self.assertTrue(os.path.exists(self.path))
        x = torch.randn(4, 3, 20, 20)
        with torch.no_grad():
            for i in range(2):
                torch.testing.assert_close(loaded.head(loaded.features(x, index(i)), index(i)), model(x))

    def test_unpacking_a_module_output_traces(self):
        model = UnpacksLeafOutput()
        loaded = export(model, self.x, ["conv1", "conv2"], self.path)
        x = torch.randn(3, 3, 16, 16)
        with torch.no_grad():
            for i in range(2):
                torch.testing.assert_close(loaded.head(loaded.features(x, index(i)), index(i)), model(x))

    def test_unknown_layer_lists_close_matches(self):
        e = self.assertFails(torchvision.models.resnet18(weights=None), ["layer5"],
                             r"Unknown layer 'layer5'", r"layer4", r"named_modules")
        self.assertIsInstance(e, ValueError)

    def test_untraceable_model(self):
        self.assertFails(DataDependent(), ["conv2"], r"torch\.fx cannot trace DataDependent",
                         r"torch\.fx\.wrap", r"sub-module")

    def test_layer_returning_a_tuple(self):
        self.assertFails(TupleLayer(), ["pair"], r"'pair' returns a tuple", r"single")

    def test_layer_called_twice(self):
        self.assertFails(Reused(), ["conv2"], r"'conv2' is called 2 times")

    def test_layer_that_is_not_a_feature_map(self):
        self.assertFails(Tiny(), ["fc"], r"shape \[2, 2\]", r"N x C x h x w")

    def test_batch_size_baked_in_by_tracing(self):
        # 'scale' is the cut, so torch.fx keeps it whole and only torch.jit.trace sees the int().
        self.assertFails(BatchBaked(), ["scale"], r"shape \[3, 3, 16, 16\]", r"batch size")

    def test_head_forward_mismatch(self):
        real_split = camunit_export._split

        def broken_split(model, layer, layout, example):
            # Like fixtures' BrokenCut: a head that does not reproduce forward.
            features, head, carried = real_split(model, layer, layout, example)
            return features, _Perturbed(head), carried

        with mock.patch.object(camunit_export, "_split", broken_split):
            self.assertFails(Tiny(), ["conv2"], r"head\(features\(x, 0\), 0\) differs from forward\(x\)",
                             r"'conv2'")

    def test_wrong_number_of_class_names(self):
        with self.assertRaisesRegex(CamunitExportError, "3 class names given but the model outputs 2"):
            export(Tiny(), self.x, ["conv2"], self.path, classes=["a", "b", "c"])

    def test_head_checks_number_of_acts(self):
        loaded = export(torchvision.models.resnet18(weights=None), torch.randn(2, 3, 32, 32),
                        ["layer2.0.conv1"], self.path)
        acts = loaded.features(torch.randn(1, 3, 32, 32), index(0))
        with self.assertRaisesRegex((RuntimeError, torch.jit.Error), "needs the 2 tensors"):
            loaded.head(acts[:1], index(0))


class _Perturbed(nn.Module):
    def __init__(self, head):
        super().__init__()
        self.head = head

    def forward(self, acts):
        return self.head(acts) * 1.01 + 0.01


# ------------------------------------------------------------------------------------------------
# Plain export and command line
# ------------------------------------------------------------------------------------------------

class PlainAndCliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args):
        env = dict(os.environ, OMP_NUM_THREADS="1")
        return subprocess.run([sys.executable, EXPORTER, *args], capture_output=True, text=True,
                              cwd=self.tmp.name, env=env, timeout=300)

    def test_export_plain(self):
        torch.manual_seed(0)
        model = Tiny()
        path = os.path.join(self.tmp.name, "plain.pt")
        export_plain(model, torch.randn(2, 3, 16, 16), path)
        loaded = torch.jit.load(path)
        self.assertFalse(hasattr(loaded, "features"))
        x = torch.randn(5, 3, 24, 24)
        torch.testing.assert_close(loaded(x), model(x))

    def test_help(self):
        result = self.run_cli("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        for option in ("--torchvision", "--module", "--layers", "--size", "--out", "--classes", "--mean", "--std"):
            self.assertIn(option, result.stdout)
        self.assertIn("named_modules", result.stdout)

    def test_torchvision_cli(self):
        out = os.path.join(self.tmp.name, "r18.pt")
        result = self.run_cli("--torchvision", "resnet18", "--layers", "layer3,layer4", "--size", "64x64",
                              "--num-classes", "3", "--classes", "a,b,c", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        meta = read_metadata(out)
        self.assertEqual(meta, {"format": 1, "layers": ["layer3", "layer4"], "classes": ["a", "b", "c"],
                                "input": {"height": 64, "width": 64, "mean": [0.485, 0.456, 0.406],
                                          "std": [0.229, 0.224, 0.225]}})
        loaded = torch.jit.load(out)
        self.assertEqual(tuple(loaded.head(loaded.features(torch.randn(1, 3, 64, 64), index(1)), index(1)).shape),
                         (1, 3))

    def test_module_cli_and_error_exit(self):
        with open(os.path.join(self.tmp.name, "mymodels.py"), "w") as f:
            f.write("import torch.nn as nn\n"
                    "def build():\n"
                    "    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1),\n"
                    "                         nn.Flatten(), nn.Linear(4, 2))\n")
        out = os.path.join(self.tmp.name, "m.pt")
        result = self.run_cli("--module", "mymodels:build", "--layers", "1", "--size", "20x24",
                              "--channels", "1", "--mean", "0.5", "--std", "0.25", "--out", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        # WIDTHxHEIGHT, as camunit writes every size: 20 wide, 24 high.
        self.assertEqual(read_metadata(out), {"format": 1, "layers": ["1"],
                                              "input": {"height": 24, "width": 20, "mean": [0.5], "std": [0.25]}})
        self.assertIn("input 20x24: 20 wide, 24 high", result.stdout)
        result = self.run_cli("--module", "mymodels.py:build", "--layers", "7", "--size", "20x20",
                              "--channels", "1", "--out", out + ".bad")
        self.assertEqual(result.returncode, 2)
        self.assertIn("Unknown layer '7'", result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertFalse(os.path.exists(out + ".bad"))


# ------------------------------------------------------------------------------------------------
# Detectors: task "detection"
# ------------------------------------------------------------------------------------------------

class TinyDetector(nn.Module):
    """A 2 x 2 grid of candidates (stride 8 on a 16 x 16 input), each x1, y1, x2, y2 in input pixels,
    an objectness logit and `k` class logits: N x 4 x (5 + k). `scale` multiplies the boxes; 1/16
    gives boxes normalised to [0, 1] (clipped to it, as torchvision's clip_boxes_to_image clips to
    the image), as some detectors return them."""

    def __init__(self, k=3, scale=1.0):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 8, 3, stride=8, padding=1)
        self.predictor = nn.Conv2d(8, 5 + k, 1)
        self.register_buffer("centres", torch.tensor([[4.0, 4.0], [12.0, 4.0], [4.0, 12.0], [12.0, 12.0]]))
        self.scale = scale

    def forward(self, x):
        t = self.predictor(F.relu(self.conv2(F.relu(self.conv1(x))))).flatten(2).transpose(1, 2)
        centre = self.centres + 4 * torch.tanh(t[..., 0:2])
        size = 8 * torch.exp(torch.clamp(t[..., 2:4], -2.0, 2.0))
        boxes = torch.cat([centre - size / 2, centre + size / 2], 2) * self.scale
        if self.scale != 1.0:
            boxes = boxes.clamp(0.0, 1.0)
        return torch.cat([boxes, t[..., 4:]], 2)


class SegmentationLike(Tiny):
    def forward(self, x):
        return self.conv2(F.relu(self.conv1(x)))


class DetectorTaskTest(unittest.TestCase):
    """export(..., task=...) checks the output on the example input against the task's convention
    (docs/cam-ready-contract.md) and records "task" in camunit.json."""

    def setUp(self):
        torch.manual_seed(0)
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "det.pt")
        self.x = torch.randn(2, 3, 16, 16)

    def tearDown(self):
        self.tmp.cleanup()

    def assertRefused(self, model, *patterns, **kwargs):
        with self.assertRaises(CamunitExportError) as ctx:
            export(model, self.x, ["conv2"], self.path, **kwargs)
        for p in patterns:
            self.assertRegex(str(ctx.exception), p)
        self.assertFalse(os.path.exists(self.path), "nothing may be written on error")

    def test_a_detector_is_exported_with_its_task(self):
        model = TinyDetector()
        loaded = export(model, self.x, ["conv1", "conv2"], self.path, classes=["a", "b", "c"], task="detection")
        self.assertEqual(read_metadata(self.path)["task"], "detection")
        self.assertEqual(read_metadata(self.path)["classes"], ["a", "b", "c"])
        x = torch.randn(3, 3, 16, 16)
        with torch.no_grad():
            out = loaded.head(loaded.features(x, index(1)), index(1))
            self.assertEqual(tuple(out.shape), (3, 4, 8))
            torch.testing.assert_close(out, model(x))

    def test_without_a_task_nothing_is_recorded(self):
        export(TinyDetector(), self.x, ["conv2"], self.path)
        self.assertNotIn("task", read_metadata(self.path))

    def test_a_detector_output_that_is_not_rank_3_is_refused(self):
        self.assertRefused(Tiny(), r"task 'detection' expects Tiny\.forward to return the candidate boxes "
                                   r"before non-maximum suppression as N x M x \(4 \+ 1 \+ K\)",
                           r"returns a Tensor of shape \[2, 2\]", task="detection")

    def test_a_detector_without_class_logits_is_refused(self):
        self.assertRefused(TinyDetector(k=0), r"K >= 1 class logits", r"shape \[2, 4, 5\]", task="detection")

    def test_class_names_must_match_the_class_logits(self):
        self.assertRefused(TinyDetector(k=3), r"2 class names given", r"last dimension 8, so K = 3",
                           r"no background class", classes=["a", "b"], task="detection")

    def test_boxes_normalised_to_0_1_are_refused(self):
        self.assertRefused(TinyDetector(scale=1 / 16), r"boxes look normalised to \[0, 1\]",
                           r"the convention is input pixels", r"\[-1, 2\] on a 16x16 input", task="detection")

    def test_classification_and_segmentation_tasks_check_the_rank(self):
        export(Tiny(), self.x, ["conv2"], self.path, task="classification")
        self.assertEqual(read_metadata(self.path)["task"], "classification")
        os.remove(self.path)
        self.assertRefused(SegmentationLike(), r"task 'classification' expects SegmentationLike\.forward to "
                                               r"return N x K", r"\[2, 4, 16, 16\]", task="classification")
        self.assertRefused(Tiny(), r"task 'segmentation' expects", r"\[2, 2\]", task="segmentation")
        export(SegmentationLike(), self.x, ["conv2"], self.path, task="segmentation")
        self.assertEqual(read_metadata(self.path)["task"], "segmentation")

    def test_an_unknown_task_is_refused(self):
        self.assertRefused(Tiny(), r"Unknown task 'detector'", r"classification, segmentation, detection",
                           task="detector")

    def test_command_line_task_option(self):
        with open(os.path.join(self.tmp.name, "dets.py"), "w") as f:
            f.write("import sys\n"
                    f"sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})\n"
                    "from test_camunit_export import TinyDetector\n"
                    "def build():\n"
                    "    return TinyDetector()\n"
                    "def build_normalised():\n"
                    "    return TinyDetector(scale=1 / 16)\n")
        factory = os.path.join(self.tmp.name, "dets.py")
        code = camunit_export.main(["--module", factory + ":build", "--layers", "conv2", "--size", "16x16",
                                    "--classes", "a,b,c", "--task", "detection", "--out", self.path])
        self.assertEqual(code, 0)
        self.assertEqual(read_metadata(self.path)["task"], "detection")
        stderr = io.StringIO()
        with mock.patch.object(sys, "stderr", stderr):
            code = camunit_export.main(["--module", factory + ":build_normalised", "--layers", "conv2", "--size",
                                        "16x16", "--task", "detection", "--out", self.path + ".bad"])
        self.assertEqual(code, 2)
        self.assertIn("boxes look normalised to [0, 1]", stderr.getvalue())
        self.assertFalse(os.path.exists(self.path + ".bad"))


class SizeConventionTest(unittest.TestCase):
    """--size is WIDTHxHEIGHT, as everywhere in camunit; PyTorch's (HEIGHT, WIDTH) spelling is refused."""

    def test_width_comes_first(self):
        self.assertEqual(camunit_export._size("224x160"), (224, 160))
        self.assertEqual(camunit_export._size(" 64X32 "), (64, 32))

    def test_a_pytorch_shape_is_refused_saying_which_order_camunit_means(self):
        with self.assertRaises(argparse.ArgumentTypeError) as e:
            camunit_export._size("(160, 224)")
        self.assertEqual(str(e.exception), "expected WIDTHxHEIGHT in pixels, e.g. 224x160 for an image 224 wide and "
                         "160 high; got '(160, 224)', which reads like a tensor shape (HEIGHT, WIDTH) as PyTorch "
                         "writes it. camunit writes sizes width first: if you mean 224 wide and 160 high, write 224x160")
        for text in ("160,224", "[160, 224]", "160 224"):
            with self.assertRaises(argparse.ArgumentTypeError):
                camunit_export._size(text)

    def test_a_single_number_and_zero_are_refused(self):
        with self.assertRaisesRegex(argparse.ArgumentTypeError, "a single number: write both, e.g. 224x224"):
            camunit_export._size("224")
        with self.assertRaisesRegex(argparse.ArgumentTypeError, "at least 1"):
            camunit_export._size("0x5")


SHIPPED = os.path.join(ROOT, "target", "classes", "io", "camunit", "export", "camunit_export.py")


def pom_version():
    """The project's version, as pom.xml declares it (the build writes it into the shipped exporter)."""
    import xml.etree.ElementTree as ET
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    return ET.parse(os.path.join(ROOT, "pom.xml")).getroot().find("m:version", ns).text


class ExporterVersionTest(unittest.TestCase):
    """camunit.json records the camunit release of the exporter that wrote it ("exporter")."""

    def setUp(self):
        torch.manual_seed(0)
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "out.pt")

    def tearDown(self):
        self.tmp.cleanup()

    def test_a_source_checkout_records_no_exporter(self):
        self.assertIsNone(camunit_export.exporter_version())
        export(Tiny(), torch.randn(2, 3, 16, 16), ["conv2"], self.path)
        self.assertNotIn("exporter", read_metadata(self.path))

    @unittest.skipUnless(os.path.exists(SHIPPED), "the build has not written target/classes (run through Maven)")
    def test_the_copy_the_jar_ships_records_the_build_version(self):
        import importlib.util
        spec = importlib.util.spec_from_file_location("camunit_export_shipped", SHIPPED)
        shipped = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(shipped)
        self.assertEqual(shipped.exporter_version(), pom_version())
        shipped.export(Tiny(), torch.randn(2, 3, 16, 16), ["conv2"], self.path)
        meta = read_metadata(self.path)
        self.assertEqual(list(meta)[:3], ["format", "exporter", "layers"])
        self.assertEqual(meta["exporter"], pom_version())

    @unittest.skipUnless(os.path.exists(SHIPPED), "the build has not written target/classes (run through Maven)")
    def test_version_option_names_the_release(self):
        done = subprocess.run([sys.executable, SHIPPED, "--version"], capture_output=True, text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout, f"camunit_export.py of camunit {pom_version()}\n")


if __name__ == "__main__":
    unittest.main()
