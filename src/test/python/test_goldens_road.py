"""Checks the reference ROAD implementation of fixtures/generators/goldens_road.py (SciPy's sparse
LU) on cases computed by hand, so that the goldens the Java tests compare with rest on an imputation
that is right in itself: a removed pixel is the weighted mean of its neighbours inside the image,
neighbouring removed pixels are solved together, ties at the threshold are removed with it, and only
the pixels above it when the ties would take every pixel.

Run from the repository root with Debian's python3-torch and python3-scipy:
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_goldens_road.py' -v
"""
import importlib.util
import os
import sys
import unittest

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "goldens_road.py")

EDGE = 1 / 6
DIAGONAL = 1 / 12


def load_generator():
    sys.path.insert(0, os.path.dirname(GENERATOR))
    spec = importlib.util.spec_from_file_location("goldens_road_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class GoldensRoadTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()
        cls.image = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3)

    def test_a_removed_centre_is_the_weighted_mean_of_its_eight_neighbours(self):
        removed = np.zeros((3, 3), dtype=bool)
        removed[1, 1] = True
        expected = EDGE * (2 + 4 + 6 + 8) + DIAGONAL * (1 + 3 + 7 + 9)
        out = self.gen.impute(self.image, removed)
        self.assertAlmostEqual(float(out[0, 1, 1]), expected, places=5)
        self.assertEqual(float(out[0, 0, 0]), 1.0)

    def test_a_removed_corner_is_normalised_by_the_weights_inside_the_image(self):
        removed = np.zeros((3, 3), dtype=bool)
        removed[0, 0] = True
        expected = (EDGE * 2 + EDGE * 4 + DIAGONAL * 5) / (EDGE + EDGE + DIAGONAL)
        self.assertAlmostEqual(float(self.gen.impute(self.image, removed)[0, 0, 0]), expected, places=5)

    def test_neighbouring_removed_pixels_are_solved_together(self):
        row = np.array([[[0, 0, 9]]], dtype=np.float32)
        out = self.gen.impute(row, np.array([[True, True, False]]))
        np.testing.assert_allclose(out[0, 0], [9, 9, 9], atol=1e-5)

    def test_ties_are_removed_and_only_those_above_when_all_would_go(self):
        cam = np.array([[0, 0.5, 0.5, 0.5, 1]], dtype=np.float32)
        self.assertEqual(self.gen.removed_pixels(cam, 50, True).tolist(), [[False, True, True, True, True]])
        flat = np.array([[0, 0, 0, 0.2, 1]], dtype=np.float32)
        self.assertEqual(self.gen.removed_pixels(flat, 50, True).tolist(), [[False, False, False, True, True]])


if __name__ == "__main__":
    unittest.main()
