"""Checks fixtures/generators/goldens_fullgrad.py and camunit_export's full_gradient option: the
reference's gradients satisfy FullGrad's completeness, the exported files cut after every biased
layer and record the folded biases, and the committed goldens are what the generator computes.

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_goldens_fullgrad.py' -v
"""
import importlib.util
import io
import json
import os
import sys
import unittest
import unittest.mock

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "goldens_fullgrad.py")
GOLDENS = os.path.join(ROOT, "fixtures", "goldens", "fullgrad")
MODELS = os.path.join(ROOT, "fixtures", "models")
torch.set_num_threads(1)


def load_generator():
    sys.path.insert(0, os.path.dirname(GENERATOR))
    spec = importlib.util.spec_from_file_location("goldens_fullgrad_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def metadata(path):
    extra = {"camunit.json": ""}
    torch.jit.load(path, _extra_files=extra)
    return json.loads(extra["camunit.json"])


class GoldensFullGradTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()
        cls.tiny = cls.gen.tiny_cnn_net()
        cls.resnet = cls.gen.shapes_resnet_net()

    def image(self, name):
        return self.gen.tiny_cnn.to_tensor(Image.open(os.path.join(self.gen.TINY_SCENES, name)).convert("RGB"))[None]

    def test_the_gradients_are_complete_for_a_network_of_relus_and_biases(self):
        # For ReLU, max-pooling, BatchNorm in eval mode and linear layers, S(x) = sum(x dS/dx) + sum over every
        # bias of sum(b dS/dz): the input term and the biased layers' terms plus the final linear layer's bias.
        for net, x in ((self.tiny, self.image("sample1-square.png")),
                       (self.resnet, self.gen.shapes_models.to_input(
                           Image.open(os.path.join(self.gen.SHAPES_TEST, "images", "0001.png")))[None])):
            for cls in range(3):
                score, dx, layers = self.gen.gradients(net, x, cls)
                total = float((x * dx).double().sum())
                total += sum(float((b[:, None, None] * g[0].double()).sum()) for _, b, g in layers)
                total += float(net.fc.bias[cls])
                self.assertAlmostEqual(total, score, delta=1e-4 * max(1.0, abs(score)))

    def test_the_biased_layers_are_the_convolutions_and_batch_norms_with_a_bias(self):
        self.assertEqual([n for n, _, _ in self.gen.biases(self.tiny)],
                         ["features.0", "features.3", "features.6", "features.8"])
        self.assertEqual([n for n, _, _ in self.gen.biases(self.resnet)],
                         ["stem.1", "layer1.bn1", "layer1.bn2", "layer1.down.1", "layer2.bn1", "layer2.bn2",
                          "layer2.down.1", "layer3.bn1", "layer3.bn2", "layer3.down.1"])

    def test_the_exported_files_cut_after_every_biased_layer_and_record_the_folded_biases(self):
        meta = metadata(os.path.join(MODELS, "shapes-resnet-fullgrad.pt"))
        names = [n for n, _, _ in self.gen.biases(self.resnet)]
        self.assertEqual(meta["layers"], names)
        self.assertEqual(list(meta["biases"]), names)
        bn = self.resnet.layer2.bn1
        folded = bn.bias - bn.running_mean * bn.weight / torch.sqrt(bn.running_var + bn.eps)
        np.testing.assert_allclose(meta["biases"]["layer2.bn1"], folded.detach().double().numpy(), rtol=1e-6)
        tiny = metadata(os.path.join(MODELS, "tiny-cnn-fullgrad.pt"))
        np.testing.assert_allclose(tiny["biases"]["features.3"], self.tiny.features[3].bias.detach().numpy(),
                                   rtol=1e-6)

    def test_the_committed_goldens_are_what_the_generator_computes(self):
        with open(os.path.join(GOLDENS, "goldens.json")) as f:
            goldens = json.load(f)
        maps = np.load(os.path.join(GOLDENS, "maps.npz"))
        case = next(c for c in goldens["cases"] if c["model"] == "tiny-cnn-fullgrad.pt" and c["target"] != "predicted")
        x = self.image(os.path.basename(case["image"]))
        raw, score = self.gen.full_grad(self.tiny, x, case["class"])
        self.assertAlmostEqual(score, case["score"], places=4)
        np.testing.assert_allclose(raw.numpy(), maps[case["raw"][:-4]], atol=1e-4 * float(raw.max()))


class FullGradientExportTest(unittest.TestCase):

    def setUp(self):
        sys.path.insert(0, os.path.join(ROOT, "src", "main", "python"))
        import camunit_export
        self.exporter = camunit_export

    def net(self):
        torch.manual_seed(0)
        net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(inplace=True),
                            nn.Conv2d(4, 5, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                            nn.Linear(5, 2))
        net[1].running_mean.uniform_(-1, 1)
        net[1].running_var.uniform_(0.5, 2)
        return net.eval()

    def test_the_layers_asked_for_come_first_then_the_biased_ones(self):
        path = os.path.join(self.tmp(), "m.pt")
        self.exporter.export(self.net(), torch.randn(2, 3, 16, 16), ["2"], path, full_gradient=True)
        meta = metadata(path)
        self.assertEqual(meta["layers"], ["2", "1", "3"])
        self.assertEqual(list(meta["biases"]), ["1", "3"])

    def test_a_model_without_a_biased_layer_is_refused(self):
        net = nn.Sequential(nn.Conv2d(3, 4, 3, bias=False), nn.AdaptiveAvgPool2d(1), nn.Flatten())
        with self.assertRaisesRegex(self.exporter.CamunitExportError, "has no Conv2d or BatchNorm2d with a bias"):
            self.exporter.export(net, torch.randn(1, 3, 8, 8), [], os.path.join(self.tmp(), "m.pt"),
                                 full_gradient=True)

    def test_without_the_option_no_biases_are_recorded(self):
        path = os.path.join(self.tmp(), "m.pt")
        self.exporter.export(self.net(), torch.randn(2, 3, 16, 16), ["2"], path)
        self.assertNotIn("biases", metadata(path))

    def test_the_command_line_needs_layers_unless_full_gradient_is_given(self):
        stderr = io.StringIO()
        with self.assertRaises(SystemExit), unittest.mock.patch("sys.stderr", stderr):
            self.exporter.main(["--torchvision", "resnet18", "--size", "32x32", "--out", "x.pt"])
        self.assertIn("--layers is required", stderr.getvalue())

    def tmp(self):
        import tempfile
        d = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(d, ignore_errors=True))
        return d


if __name__ == "__main__":
    unittest.main()
