"""Checks fixtures/generators/goldens_input_methods.py: its guided ReLU, its occlusion windows and RISE
masks on hand cases, and that the committed goldens are what it computes.

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_goldens_input_methods.py' -v
"""
import importlib.util
import json
import os
import sys
import unittest

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "goldens_input_methods.py")
GOLDENS = os.path.join(ROOT, "fixtures", "goldens", "tiny-cnn-input-methods")


def load_generator():
    sys.path.insert(0, os.path.dirname(GENERATOR))
    spec = importlib.util.spec_from_file_location("goldens_input_methods_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class GoldensInputMethodsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()

    def test_guided_relu_passes_positive_gradients_through_positive_inputs(self):
        x = torch.tensor([-1.0, 2.0, 3.0, 0.0, 4.0], requires_grad=True)
        y = self.gen.GuidedReluFunction.apply(x)
        y.backward(torch.tensor([5.0, -1.0, 2.0, 7.0, 0.5]))
        self.assertEqual(y.tolist(), [0.0, 2.0, 3.0, 0.0, 4.0])
        self.assertEqual(x.grad.tolist(), [0.0, 0.0, 2.0, 0.0, 0.5])

    def test_windows_end_flush_with_the_border(self):
        self.assertEqual(self.gen.window_starts(16, 4, 2), [0, 2, 4, 6, 8, 10, 12])
        self.assertEqual(self.gen.window_starts(64, 12, 5), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 52])
        self.assertEqual(self.gen.window_starts(10, 10, 3), [0])

    def test_rise_masks_keep_pixels_with_the_keep_probability(self):
        masks = self.gen.rise_masks(self.gen.SeededNoise(8), 2000, 23, 17, 5, 0.3)
        self.assertEqual(tuple(masks.shape), (2000, 23, 17))
        self.assertGreaterEqual(float(masks.min()), 0.0)
        self.assertLessEqual(float(masks.max()), 1.0 + 1e-6)  # float32 interpolation rounding
        self.assertAlmostEqual(float(masks.mean()), 0.3, delta=0.01)

    def test_committed_goldens_are_what_the_generator_computes(self):
        with open(os.path.join(GOLDENS, "goldens.json")) as f:
            meta = json.load(f)
        maps = np.load(os.path.join(GOLDENS, meta["maps"]))
        model, spec = self.gen.load_model()
        methods = {"gradient": self.gen.vanilla_gradient, "occlusion": self.gen.occlusion}
        checked = 0
        for case in meta["cases"]:
            if case["method"] not in methods:
                continue
            x = self.gen.to_tensor(os.path.join(self.gen.IMAGES, case["image"]), spec)
            opts = dict(o.split("=", 1) for o in case["options"])
            raw = torch.relu(methods[case["method"]](model, x, case["class"], opts)).detach().numpy()
            golden = maps[case["raw"][:-len(".npy")]]
            # The goldens were written on one machine; another CPU's float32 kernels sum in another
            # order. Each value of these maps is a chain of sums of products over tiny-cnn's five layers
            # (about 900 terms along the chain); rounding in another order moves it by about
            # sqrt(n) * 2^-24 of its terms' magnitudes per layer, 1e-5 of the map's largest value over
            # the chain. 1e-4 of that value leaves a factor of ten and still fails a generator that
            # explains another class, drops the ReLU, transposes the map or moves a window (changes of
            # 1e-2 or more of the largest value).
            scale = float(np.abs(golden).max())
            self.assertGreater(scale, 1e-6, f"{case['raw']}: degenerate golden, the check would prove nothing")
            np.testing.assert_allclose(raw, golden, rtol=0, atol=1e-4 * scale, err_msg=case["raw"])
            checked += 1
        self.assertGreaterEqual(checked, 6)


if __name__ == "__main__":
    unittest.main()
