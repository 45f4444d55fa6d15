"""Checks fixtures/generators/awkward_cnn.py: the committed fixtures/models/awkward-cnn.pt holds the
weights the generator builds, its channel counts are the awkward ones the Java oracle test needs, and
the network is linear (what makes the Java reference exact).

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_awkward_cnn.py' -v
"""
import importlib.util
import json
import os
import sys
import unittest

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "awkward_cnn.py")
MODEL = os.path.join(ROOT, "fixtures", "models", "awkward-cnn.pt")


def load_generator():
    sys.path.insert(0, os.path.dirname(GENERATOR))
    spec = importlib.util.spec_from_file_location("awkward_cnn_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class AwkwardCnnTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()
        files = {"camunit.json": ""}
        cls.loaded = torch.jit.load(MODEL, _extra_files=files)
        cls.meta = json.loads(files["camunit.json"])

    def test_committed_file_holds_the_generators_weights(self):
        net = self.gen.build_net()
        stored = {name[len("full."):]: p for name, p in self.loaded.named_parameters() if name.startswith("full.")}
        self.assertEqual(sorted(stored), sorted(name for name, _ in net.named_parameters()))
        for name, p in net.named_parameters():
            torch.testing.assert_close(stored[name], p.detach(), rtol=0, atol=0, msg=name)

    def test_convolutions_have_the_awkward_and_the_control_channel_counts(self):
        net = self.gen.build_net()
        convs = [(m.in_channels, m.out_channels) for m in net.features if isinstance(m, torch.nn.Conv2d)]
        self.assertEqual(convs, [(3, 8), (8, 12), (12, 24), (24, 40), (40, 16), (16, 64)])

    def test_the_network_is_linear(self):
        net = self.gen.build_net().eval()
        g = torch.Generator().manual_seed(3)
        a, b = torch.randn(1, 3, 32, 32, generator=g), torch.randn(1, 3, 32, 32, generator=g)
        zero = torch.zeros(1, 3, 32, 32)
        with torch.no_grad():
            # f(a + b) - f(0) = (f(a) - f(0)) + (f(b) - f(0)) for an affine network.
            lhs = net(a + b) - net(zero)
            rhs = (net(a) - net(zero)) + (net(b) - net(zero))
        torch.testing.assert_close(lhs, rhs, rtol=1e-4, atol=1e-5)

    def test_metadata_names_the_cut_layers_and_input(self):
        self.assertEqual(self.meta["layers"], ["features.0", "features.4"])
        self.assertEqual(self.meta["input"]["height"], 224)
        self.assertEqual(len(self.meta["classes"]), 5)


if __name__ == "__main__":
    unittest.main()
