"""Checks fixtures/generators/goldens_more_methods.py: its kernels, kernel PCA, FEM weights and Sobel
map on hand cases, and that the committed goldens of the cheap cases are what it computes.

Run from the repository root with Debian's python3-torch:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_goldens_more_methods.py' -v
"""
import importlib.util
import json
import os
import sys
import unittest

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "goldens_more_methods.py")
GOLDENS = os.path.join(ROOT, "fixtures", "goldens", "tiny-cnn-more-methods")


def load_generator():
    sys.path.insert(0, os.path.dirname(GENERATOR))
    spec = importlib.util.spec_from_file_location("goldens_more_methods_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Activations:
    """A stand-in model whose features are fixed activations, for the layer methods' hand cases."""

    def __init__(self, a):
        self.a = torch.tensor(a, dtype=torch.float32)[None]

    def features(self, x, layer):
        return [self.a]


class GoldensMoreMethodsTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()

    def test_kernels_are_scikit_learns_definitions(self):
        x = np.array([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]])
        self.assertEqual(self.gen.kernel_matrix(x, "linear", 1)[0, 1], 0.0)
        self.assertAlmostEqual(self.gen.kernel_matrix(x, "rbf", 0.5)[0, 1], np.exp(-0.5 * 5))
        self.assertAlmostEqual(self.gen.kernel_matrix(x, "sigmoid", 0.5)[1, 1], np.tanh(0.5 * 4 + 1))
        self.assertAlmostEqual(self.gen.kernel_matrix(x, "poly", 0.5)[1, 1], (0.5 * 4 + 1) ** 3)
        cosine = self.gen.kernel_matrix(x, "cosine", 1)
        self.assertEqual(cosine[1, 1], 1.0)
        self.assertEqual(cosine[2].tolist(), [0.0, 0.0, 0.0])

    def test_kernel_pca_with_the_linear_kernel_is_the_first_principal_component(self):
        rng = np.random.default_rng(1)
        a = rng.normal(size=(4, 3, 5))
        kpca = self.gen.kpca_cam(Activations(a), None, None, 0, {"kernel": "linear"}).numpy().ravel()
        flat = torch.tensor(a, dtype=torch.float32).double().numpy().reshape(4, -1)
        centred = flat.T - flat.T.mean(axis=0)
        _, _, vt = np.linalg.svd(centred, full_matrices=False)
        pca = centred @ vt[0]
        np.testing.assert_allclose(np.abs(kpca), np.abs(pca), atol=1e-9)
        # The sign agrees with the per-position total activation.
        self.assertGreater(float(kpca @ flat.sum(0)), 0)

    def test_fem_weighs_a_channel_by_its_fraction_of_positions_above_mean_plus_k_std(self):
        a = [[[0.0, 0.0], [0.0, 4.0]], [[2.0, 2.0], [2.0, 2.0]]]
        self.assertEqual(self.gen.fem(Activations(a), None, None, 0, {}).tolist(), [[0.0, 0.0], [0.0, 0.0]])
        self.assertEqual(self.gen.fem(Activations(a), None, None, 0, {"k-sigma": 1.0}).tolist(),
                         [[0.0, 0.0], [0.0, 1.0]])

    def test_sobel_of_a_vertical_step_is_two_beside_it(self):
        grey = torch.tensor([0.0, 0.0, 1.0, 1.0]).repeat(3, 1)
        mean = torch.tensor(self.gen.MEAN)[:, None, None]
        std = torch.tensor(self.gen.STD)[:, None, None]
        x = ((grey[None].repeat(3, 1, 1) - mean) / std)[None]
        np.testing.assert_allclose(self.gen.sobel(None, x, 0, {}).numpy(), [[0, 2, 2, 0]] * 3, atol=1e-6)

    def test_committed_goldens_of_the_one_pass_methods_are_what_the_generator_computes(self):
        from PIL import Image
        with open(os.path.join(GOLDENS, "goldens.json")) as f:
            goldens = json.load(f)
        maps = np.load(os.path.join(GOLDENS, "maps.npz"))
        model = self.gen.Model(self.gen.MODEL)
        checked = 0
        for case in goldens["cases"]:
            if case["method"] not in ("fem", "random", "sobel") and case["options"] != ["kernel=linear"]:
                continue
            options = {}
            for o in case["options"]:
                key, value = o.split("=")
                options[key] = value if key == "kernel" else (float(value) if "." in value else int(value))
            image = Image.open(os.path.join(GOLDENS, case["image"])).convert("RGB")
            x = self.gen.to_tensor(image)[None]
            raw, display = self.gen.maps(model, case["method"], x, case["layers"], case["class"], options)
            # The goldens were computed on another CPU, whose convolution kernels round float32 differently
            # (2e-7 relative seen): a tolerance of float32 error, not bit equality.
            expected = maps[case["raw"][:-4]]
            np.testing.assert_allclose(raw.detach().numpy(), expected, rtol=1e-5,
                                       atol=1e-6 * max(1.0, float(np.abs(expected).max())), err_msg=case["raw"])
            checked += 1
        self.assertEqual(checked, 9)


if __name__ == "__main__":
    unittest.main()
