"""Tests of the shapes-detector fixture (fixtures/generators/shapes_detector.py): the box target on
hand-made candidates with hand-computed values, and the committed model, metadata and goldens
(no training: a few forward and backward passes of the committed file).

    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_shapes_detector.py' -v
"""
import json
import math
import os
import sys
import unittest

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATORS = os.path.join(ROOT, "fixtures", "generators")
sys.path.insert(0, GENERATORS)
import shapes_detector as sd  # noqa: E402

MODELS = os.path.join(ROOT, "fixtures", "models")
GOLDENS = os.path.join(ROOT, "fixtures", "goldens", "shapes-detector")
torch.set_num_threads(1)


def candidates(rows):
    """M x (5 + 2) candidates from rows (x1, y1, x2, y2, objectness, logit 0, logit 1)."""
    return torch.tensor(rows, dtype=torch.float64)


class BoxTargetTest(unittest.TestCase):
    """The box target of docs/methods.md on hand-made candidates, K = 2, labelled box (0, 0, 4, 4)."""

    BOX = [0.0, 0.0, 4.0, 4.0]
    ROWS = [
        [0, 0, 4, 4, 3, 1, 0],              # IoU 1 but predicted class 0
        [0.5, 0.5, 3.5, 3.5, 0, 0, 2],      # IoU 9 / 16, class 1: the match
        [1, 1, 5, 5, 0, 0, 2],              # IoU 9 / 23 < 0.5
        [0.5, 0.5, 3.5, 3.5, 5, 0, 2],      # the same IoU and class: a tie, the lower index wins
        [0, 0, 4, 3, 0, 0, 0],              # IoU 0.75, class logits tied: class 0 (the lowest), no match
    ]

    def test_iou_uses_areas_without_plus_one_and_clamps_the_intersection(self):
        out = candidates(self.ROWS)
        ious = sd.box_iou(out[:, 0:4], torch.tensor(self.BOX, dtype=torch.float64))
        expected = [1.0, 9 / 16, 9 / 23, 9 / 16, 0.75]
        for got, want in zip(ious.tolist(), expected):
            self.assertAlmostEqual(got, want, places=12)
        apart = sd.box_iou(torch.tensor([[10.0, 10.0, 12.0, 12.0]]), torch.tensor(self.BOX))
        self.assertEqual(float(apart[0]), 0.0)

    def test_the_match_is_the_class_candidate_of_largest_iou_at_least_the_threshold(self):
        out = candidates(self.ROWS)
        p = 0.5 * math.exp(2) / (1 + math.exp(2))   # sigmoid(0) * softmax([0, 2])[1]
        for threshold in (0.5, 9 / 16):             # an IoU equal to the threshold matches
            score, m, iou, probability = sd.box_target(out, self.BOX, 1, threshold=threshold)
            self.assertEqual(m, 1)
            self.assertEqual(iou, 9 / 16)
            self.assertAlmostEqual(probability, p, places=12)
            self.assertAlmostEqual(float(score), 9 / 16 + p, places=12)

    def test_the_score_differentiates_through_the_box_and_the_logits(self):
        out = candidates(self.ROWS).requires_grad_(True)
        score, _, _, _ = sd.box_target(out, self.BOX, 1)
        g = torch.autograd.grad(score, out)[0]
        # Inside b, IoU = (x2 - x1)(y2 - y1) / 16: dIoU/dx2 = (y2 - y1) / 16 = 3/16, dIoU/dx1 = -3/16.
        for k, want in enumerate([-3 / 16, -3 / 16, 3 / 16, 3 / 16]):
            self.assertAlmostEqual(float(g[1, k]), want, places=12)
        s1 = math.exp(2) / (1 + math.exp(2))
        self.assertAlmostEqual(float(g[1, 4]), 0.25 * s1, places=12)           # d sigmoid(0) = 1/4
        self.assertAlmostEqual(float(g[1, 6]), 0.5 * s1 * (1 - s1), places=12)
        self.assertAlmostEqual(float(g[1, 5]), -0.5 * s1 * (1 - s1), places=12)
        self.assertEqual(float(g[[0, 2, 3, 4]].abs().sum()), 0.0, "only the matched candidate is scored")

    def test_no_match_scores_nothing(self):
        out = candidates(self.ROWS)
        self.assertEqual(sd.box_target(out, self.BOX, 1, threshold=0.6), (None, None, None, None))
        self.assertEqual(sd.box_target(out, [20.0, 20.0, 24.0, 24.0], 0), (None, None, None, None))

    def test_a_labelled_box_is_scaled_to_input_pixels(self):
        # COCO [x, y, w, h] of a 128 x 96 image, pixel i spanning [i, i + 1): corners times 64/128, 64/96.
        self.assertEqual(sd.input_box([32.0, 48.0, 16.0, 24.0], 128, 96), [16.0, 32.0, 24.0, 48.0])


class CommittedDetectorTest(unittest.TestCase):
    """The committed shapes-detector.pt, its record and goldens reproduce."""

    @classmethod
    def setUpClass(cls):
        cls.model = sd.CamReady(os.path.join(MODELS, "shapes-detector.pt"))
        with open(os.path.join(MODELS, "shapes-detector.json")) as f:
            cls.record = json.load(f)
        with open(os.path.join(GOLDENS, "goldens.json")) as f:
            cls.goldens = json.load(f)
        cls.maps = np.load(os.path.join(GOLDENS, "maps.npz"))
        images, xs, objects = sd.committed("test-multi", sd.GOLDEN_SCENES)
        cls.inputs = {i["file_name"]: x for i, x in zip(images, xs)}

    def test_the_file_records_the_detection_task(self):
        meta = self.model.meta
        self.assertEqual(meta["task"], "detection")
        self.assertEqual(meta["classes"], ["circle", "square", "triangle", "star"])
        self.assertEqual(meta["layers"], self.record["layers"])
        self.assertEqual(meta["input"], self.record["input"])

    def test_forward_follows_the_detector_convention(self):
        x = self.inputs["images/0001.png"][None]
        with torch.no_grad():
            out = self.model.module(x)
            self.assertEqual(tuple(out.shape), (1, 64, 9))
            for layer in self.model.layers:
                torch.testing.assert_close(self.model.head(self.model.features(x, layer), layer), out)
        boxes = out[0, :, 0:4]
        self.assertTrue(bool((boxes[:, 2] > boxes[:, 0]).all() and (boxes[:, 3] > boxes[:, 1]).all()))
        self.assertGreater(float(boxes.max()), 2.0, "boxes are in input pixels, not normalised")

    def test_the_recorded_map_is_a_real_detector(self):
        result = self.record["map50"]["test-multi"]
        self.assertEqual(sum(c["objects"] for c in result["classes"].values()), 144)
        self.assertGreater(result["map"], 0.5)

    def test_every_golden_case_has_the_recorded_match(self):
        cases = [c for c in self.goldens["cases"] if c["method"] == "grad-cam"]
        self.assertGreaterEqual(len({c["image"] for c in cases}), 6)
        for c in cases:
            x = self.inputs[c["image"]][None]
            with torch.no_grad():
                out = self.model.head(self.model.features(x, c["layer"]), c["layer"])[0]
            score, m, iou, probability = sd.box_target(out, c["box"], c["class"])
            self.assertEqual(m, c["candidate"], c["display"])
            if m is None:
                self.assertEqual(c["score"], 0.0)
                self.assertIn("note", c)
                continue
            self.assertAlmostEqual(iou, c["iou"], delta=1e-5)
            self.assertAlmostEqual(probability, c["probability"], delta=1e-5)
            self.assertAlmostEqual(float(score), c["score"], delta=1e-5)

    def test_grad_cam_and_eigen_cam_goldens_reproduce(self):
        matched = [c for c in self.goldens["cases"] if c["method"] == "grad-cam" and c["candidate"] is not None]
        for c in [matched[0], matched[-1]]:
            low, m, _, _, _ = sd.grad_cam_of_box(self.model, self.inputs[c["image"]], c["layer"], c["box"], c["class"])
            self.assertEqual(m, c["candidate"])
            golden = self.maps[c["display"][:-4]]
            self.assertLess(float(np.abs(sd.display(low) - golden).max()), 1e-4, c["display"])
        eigen = [c for c in self.goldens["cases"] if c["method"] == "eigen-cam"]
        for c in eigen[:2]:
            with torch.no_grad():
                a = self.model.features(self.inputs[c["image"]][None], c["layer"])[0][0]
            golden = self.maps[c["display"][:-4]]
            self.assertLess(float(np.abs(sd.display(sd.eigen_projection(a)) - golden).max()), 1e-4, c["display"])


class ShortcutDetectorTest(unittest.TestCase):
    """At features.5, Layer-CAM of the box target peaks inside the labelled box for the clean detector
    and off it (on the marks) for the shortcut detector, on the first scenes of test-multi-marked."""

    SCENES = 4

    def peaks_in_box(self, name):
        model = sd.CamReady(os.path.join(MODELS, name + ".pt"))
        images, xs, objects = sd.committed("test-multi-marked", self.SCENES)
        inside, matched = 0, 0
        for info, x, objs in zip(images, xs, objects):
            for o in objs:
                maps = sd.box_target_maps(model, x, "features.5", o["box"], o["class"])
                if maps is None:
                    continue
                matched += 1
                raw = sd.raw_at_image(maps["layer-cam"], info["width"], info["height"])
                py, px = np.unravel_index(np.argmax(raw), raw.shape)
                bx, by, bw, bh = (int(v) for v in o["annotation"]["bbox"])
                inside += int(bx <= px < bx + bw and by <= py < by + bh)
        return inside, matched

    def test_the_clean_detector_looks_inside_the_boxes(self):
        inside, matched = self.peaks_in_box("shapes-detector")
        self.assertGreaterEqual(matched, 6)
        self.assertGreaterEqual(inside, 0.75 * matched, (inside, matched))

    def test_the_shortcut_detector_looks_off_the_boxes(self):
        inside, matched = self.peaks_in_box("shapes-detector-shortcut")
        self.assertGreaterEqual(matched, 8)
        self.assertLessEqual(inside, 0.25 * matched, (inside, matched))


if __name__ == "__main__":
    unittest.main()
