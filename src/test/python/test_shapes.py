"""Checks the synthetic shapes fixture (fixtures/shapes) and its generator.

Run from the repository root with Debian's Python (numpy + Pillow):
    /usr/bin/python3 -m unittest discover -s src/test/python -p 'test_shapes.py' -v
SHAPES_FIXTURE=<dir> checks another generated copy instead of fixtures/shapes.

The RLE decoders below are written independently of the generator's encoder on purpose, so
an encoder bug cannot cancel itself out.
"""
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import numpy as np
from PIL import Image, ImageDraw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GENERATOR = os.path.join(ROOT, "fixtures", "generators", "shapes.py")
FIXTURE = os.environ.get("SHAPES_FIXTURE", os.path.join(ROOT, "fixtures", "shapes"))
SINGLE_CLASS_SPLITS = {"test": 60, "test-marked": 60, "val": 24}
# Two or three objects of different classes per image; test-multi-marked: each with its object marks.
MULTI_CLASS_SPLITS = {"test-multi": 60, "test-multi-marked": 60}
COMMITTED_SPLITS = {**SINGLE_CLASS_SPLITS, **MULTI_CLASS_SPLITS}

# The documented contract (fixtures/shapes/README.md), restated rather than imported.
CLASSES = ["circle", "square", "triangle", "star"]
SIZES = {(96, 96), (128, 96), (96, 128), (112, 80)}
VOC_COLOURS = [(0, 0, 0), (128, 0, 0), (0, 128, 0), (128, 128, 0), (0, 0, 128)]
MARK_BOX = (2, 2, 6, 6)
MARK_COLOURS = {"circle": (255, 0, 0), "square": (0, 255, 0), "triangle": (0, 0, 255), "star": (255, 255, 0)}
MARK_KEEPOUT = 11  # no object pixel at x < 11 and y < 11


def load_generator():
    spec = importlib.util.spec_from_file_location("shapes_under_test", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run_generator(out, *args):
    subprocess.run([sys.executable, GENERATOR, "--out", out] + list(args), check=True,
                   stdout=subprocess.DEVNULL)


def decode_counts(counts, h, w):
    """Uncompressed COCO RLE -> bool (h, w): alternating runs from 0, column-major."""
    flat = np.zeros(h * w, bool)
    pos, value = 0, False
    for n in counts:
        if n < 0:
            raise ValueError("negative run")
        flat[pos:pos + n] = value
        pos += n
        value = not value
    if pos != h * w:
        raise ValueError("runs cover %d pixels, image has %d" % (pos, h * w))
    return flat.reshape((h, w), order="F")


def decode_string(s):
    """Compressed COCO RLE string -> counts. Each value is little-endian 5-bit groups in chars
    offset by 48; bit 0x20 = continue, bit 0x10 of the last group = negative; values after the
    third are deltas to the count two places back."""
    counts = []
    chars = [ord(ch) - 48 for ch in s]
    i = 0
    while i < len(chars):
        value, shift = 0, 0
        while True:
            c = chars[i]
            i += 1
            value += (c & 0x1F) << shift
            shift += 5
            if not c & 0x20:
                if c & 0x10:
                    value -= 1 << shift  # sign-extend from the bits read so far
                break
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return counts


def decode_segmentation(seg, h, w):
    if isinstance(seg, list):
        canvas = Image.new("L", (w, h), 0)
        draw = ImageDraw.Draw(canvas)
        for poly in seg:
            # COCO vertices are corner coordinates, PIL's are pixel centres: shift back by half a pixel.
            draw.polygon([(poly[i] - 0.5, poly[i + 1] - 0.5) for i in range(0, len(poly), 2)], fill=255)
        return np.asarray(canvas) > 0
    if list(seg["size"]) != [h, w]:
        raise AssertionError("RLE size %r, image is %dx%d (h, w)" % (seg["size"], h, w))
    counts = seg["counts"]
    if isinstance(counts, str):
        counts = decode_string(counts)
    return decode_counts(counts, h, w)


def tight_box(mask):
    ys, xs = np.nonzero(mask)
    return [int(xs.min()), int(ys.min()), int(xs.max() - xs.min() + 1), int(ys.max() - ys.min() + 1)]


def read_mask(path):
    with Image.open(path) as im:
        im.load()
        return im


class Split:
    """One split directory, with COCO parsed and annotations grouped per image."""

    def __init__(self, name):
        self.name = name
        self.root = os.path.join(FIXTURE, name)
        with open(os.path.join(self.root, "coco.json")) as f:
            self.coco = json.load(f)
        self.images = {im["id"]: im for im in self.coco["images"]}
        self.categories = {c["id"]: c["name"] for c in self.coco["categories"]}
        self.anns = {i: [] for i in self.images}
        for a in self.coco["annotations"]:
            self.anns[a["image_id"]].append(a)

    def path(self, rel):
        return os.path.join(self.root, rel)

    def stem(self, image):
        return os.path.splitext(os.path.basename(image["file_name"]))[0]

    def object_masks(self, image):
        """Per-object PNG masks of an image, in annotation order (k = 0, 1, ...)."""
        return [np.asarray(read_mask(self.path("masks/%s_%d.png" % (self.stem(image), k))))
                for k in range(len(self.anns[image["id"]]))]


class RleCodecTest(unittest.TestCase):
    """The generator's encoders against hand-worked vectors and this file's decoders."""

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()

    def test_string_encoding_known_vectors(self):
        # Worked by hand from the format: '0'+n for small n; 40 = 8 + 1*32 -> chr(48+8+32), chr(49);
        # 4th count 1 - 2 = -1 -> one group 31 with the sign bit -> 'O'; 100 = 4 + 3*32 -> 'T3';
        # 4th count 5 - 10 = -5 -> 27 -> 'K'.
        cases = {(0, 3, 2): "032", (5, 40): "5X1", (1, 2, 3, 1): "123O", (0, 10, 100, 5): "0:T3K"}
        for counts, text in cases.items():
            self.assertEqual(self.gen.rle_to_string(list(counts)), text)
            self.assertEqual(decode_string(text), list(counts))

    def test_counts_start_with_zero_run_and_are_column_major(self):
        mask = np.array([[1, 0, 0], [1, 1, 0]], bool)  # columns: [1,1], [0,1], [0,0]
        self.assertEqual(self.gen.rle_counts(mask), [0, 2, 1, 1, 2])
        self.assertEqual(self.gen.rle_counts(~mask), [2, 1, 1, 2])

    def test_random_round_trip(self):
        rng = np.random.default_rng(5)
        for i in range(200):
            h, w = int(rng.integers(1, 40)), int(rng.integers(1, 40))
            mask = rng.random((h, w)) < rng.random()
            if i % 3 == 0:  # long runs give multi-group and negative deltas
                mask = np.zeros((h, w), bool)
                mask[int(rng.integers(0, h)):, int(rng.integers(0, w)):] = True
            counts = self.gen.rle_counts(mask)
            np.testing.assert_array_equal(decode_counts(counts, h, w), mask)
            self.assertEqual(decode_string(self.gen.rle_to_string(counts)), counts)


class FixtureTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.splits = {name: Split(name) for name in COMMITTED_SPLITS}

    def each_image(self):
        for split in self.splits.values():
            for image in split.coco["images"]:
                yield split, image

    def test_counts_and_layout(self):
        for name, n in SINGLE_CLASS_SPLITS.items():
            split = self.splits[name]
            self.assertEqual(len(split.images), n, name)
            self.assertEqual(sorted(os.listdir(split.path("images"))),
                             sorted(os.path.basename(im["file_name"]) for im in split.coco["images"]))
            self.assertEqual(len(os.listdir(split.path("voc"))), n)
            n_obj = len(split.coco["annotations"])
            self.assertEqual(len(os.listdir(split.path("masks"))), n + n_obj)
            two = sum(1 for anns in split.anns.values() if len(anns) == 2)
            self.assertTrue(all(len(a) in (1, 2) for a in split.anns.values()))
            self.assertEqual(two, round(0.15 * n), name)  # "~15% have two objects"

    def test_coco_header(self):
        for split in self.splits.values():
            info = split.coco["info"]
            self.assertIn("shapes.py", info["generator"])
            self.assertIsInstance(info["seed"], int)
            self.assertEqual(split.coco["categories"],
                             [{"id": i + 1, "name": c, "supercategory": "shape"} for i, c in enumerate(CLASSES)])
            ids = [a["id"] for a in split.coco["annotations"]]
            self.assertEqual(len(ids), len(set(ids)))

    def test_images_sizes_and_classes(self):
        for split in (self.splits[name] for name in SINGLE_CLASS_SPLITS):
            seen_sizes, seen_labels = set(), set()
            for image in split.coco["images"]:
                with Image.open(split.path(image["file_name"])) as im:
                    self.assertEqual(im.mode, "RGB")
                    self.assertEqual(im.size, (image["width"], image["height"]))
                seen_sizes.add(im.size)
                labels = {a["category_id"] for a in split.anns[image["id"]]}
                self.assertEqual(len(labels), 1, "two objects of one image must share a class")
                seen_labels |= labels
            self.assertEqual(seen_sizes, SIZES, split.name)
            self.assertEqual(seen_labels, {1, 2, 3, 4}, split.name)

    def test_object_masks_are_binary_tight_and_inside(self):
        for split, image in self.each_image():
            w, h = image["width"], image["height"]
            masks = split.object_masks(image)
            union = np.zeros((h, w), int)
            for ann, m in zip(split.anns[image["id"]], masks):
                self.assertEqual(m.shape, (h, w))
                self.assertEqual(set(np.unique(m).tolist()), {0, 255})
                box = tight_box(m > 0)
                self.assertEqual(ann["bbox"], [float(v) for v in box], (split.name, ann["id"]))
                self.assertTrue(all(isinstance(v, float) for v in ann["bbox"]))
                self.assertEqual(ann["area"], float((m > 0).sum()))
                x, y, bw, bh = box
                self.assertTrue(x >= 1 and y >= 1 and x + bw <= w - 1 and y + bh <= h - 1, "not fully inside")
                self.assertTrue(0.2 * min(w, h) <= max(bw, bh) <= 0.45 * min(w, h), (bw, bh, w, h))
                self.assertFalse((m[:MARK_KEEPOUT, :MARK_KEEPOUT] > 0).any(), "object in mark corner")
                union += m > 0
            self.assertLessEqual(union.max(), 1, "objects overlap")

    def test_segmentations_decode_to_masks(self):
        kinds = {}
        for split, image in self.each_image():
            h, w = image["height"], image["width"]
            for ann, m in zip(split.anns[image["id"]], split.object_masks(image)):
                seg = ann["segmentation"]
                if isinstance(seg, list):
                    kind = "polygon"
                    self.assertNotEqual(ann["category_id"], 1, "circles have no polygon")
                    self.assertEqual(ann["iscrowd"], 0)
                    for poly in seg:
                        self.assertEqual(len(poly) % 2, 0)
                        self.assertGreaterEqual(len(poly), 6)
                elif isinstance(seg["counts"], str):
                    kind = "rle_string"
                else:
                    kind = "rle"
                if ann["iscrowd"]:
                    self.assertEqual(kind, "rle", "COCO crowd annotations use uncompressed RLE")
                    kind = "rle_crowd"
                kinds[split.name, kind] = kinds.get((split.name, kind), 0) + 1
                np.testing.assert_array_equal(decode_segmentation(seg, h, w), m > 0,
                                              err_msg="%s ann %d (%s)" % (split.name, ann["id"], kind))
        for name in COMMITTED_SPLITS:
            for kind in ("polygon", "rle", "rle_string", "rle_crowd"):
                self.assertGreater(kinds.get((name, kind), 0), 0, (name, kind))

    def test_voc_boxes(self):
        # VOC corners are 1-based inclusive: xmin = x + 1, ymin = y + 1, xmax = x + w, ymax = y + h.
        for split, image in self.each_image():
            stem = split.stem(image)
            root = ET.parse(split.path("voc/%s.xml" % stem)).getroot()
            self.assertEqual(root.findtext("filename"), stem + ".png")
            self.assertEqual(os.path.join(root.findtext("folder"), root.findtext("filename")), image["file_name"])
            self.assertEqual(int(root.findtext("size/width")), image["width"])
            self.assertEqual(int(root.findtext("size/height")), image["height"])
            self.assertEqual(int(root.findtext("size/depth")), 3)
            objects = root.findall("object")
            anns = split.anns[image["id"]]
            self.assertEqual(len(objects), len(anns))
            for obj, ann in zip(objects, anns):
                self.assertEqual(obj.findtext("name"), split.categories[ann["category_id"]])
                self.assertEqual(obj.findtext("truncated"), "0")
                self.assertEqual(obj.findtext("difficult"), "0")
                x, y, bw, bh = (int(v) for v in ann["bbox"])
                got = [int(obj.findtext("bndbox/" + k)) for k in ("xmin", "ymin", "xmax", "ymax")]
                self.assertEqual(got, [x + 1, y + 1, x + bw, y + bh])
            mark = root.find("shortcut_mark")
            if "shortcut_mark" in image:
                x, y, bw, bh = (int(v) for v in image["shortcut_mark"])
                self.assertEqual([int(mark.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")],
                                 [x + 1, y + 1, x + bw, y + bh])
            else:
                self.assertIsNone(mark)

    def test_palette_masks(self):
        for split, image in self.each_image():
            im = read_mask(split.path("masks/%s.png" % split.stem(image)))
            self.assertEqual(im.mode, "P")
            pal = im.getpalette()
            self.assertEqual([tuple(pal[3 * i:3 * i + 3]) for i in range(5)], VOC_COLOURS)
            got = np.asarray(im)
            want = np.zeros((image["height"], image["width"]), np.uint8)
            for ann, m in zip(split.anns[image["id"]], split.object_masks(image)):
                want[m > 0] = ann["category_id"]  # class index + 1 == COCO category id
            np.testing.assert_array_equal(got, want)

    def test_manifest_matches_coco(self):
        for split in self.splits.values():
            with open(split.path("manifest.csv"), newline="") as f:
                rows = list(csv.reader(f))
            self.assertEqual(rows[0], ["image", "label", "box", "mask"])
            anns = sorted(split.coco["annotations"], key=lambda a: a["id"])
            self.assertEqual(len(rows) - 1, len(anns))
            seen_k = {}
            for row, ann in zip(rows[1:], anns):
                image = split.images[ann["image_id"]]
                k = seen_k.get(image["id"], 0)
                seen_k[image["id"]] = k + 1
                self.assertEqual(row[0], image["file_name"])
                self.assertEqual(row[1], split.categories[ann["category_id"]])
                self.assertEqual([float(v) for v in row[2].split(";")], ann["bbox"])
                self.assertEqual(row[3], "masks/%s_%d.png" % (split.stem(image), k))
                self.assertTrue(os.path.isfile(split.path(row[3])))

    def test_objects_are_the_drawn_pixels(self):
        # A mask shifted or grown by one pixel would take in background: inside the mask the
        # colour is flat (texture sigma 4), and the 1-px ring outside differs from it.
        for split, image in self.each_image():
            with Image.open(split.path(image["file_name"])) as im:
                px = np.asarray(im, np.float64)
            for m in split.object_masks(image):
                m = m > 0
                inside = px[m]
                self.assertLess(np.abs(inside - np.median(inside, axis=0)).max(), 30)
                grown = m.copy()
                grown[1:, :] |= m[:-1, :]
                grown[:-1, :] |= m[1:, :]
                grown[:, 1:] |= m[:, :-1]
                grown[:, :-1] |= m[:, 1:]
                ring = px[grown & ~m]
                dist = np.linalg.norm(ring - inside.mean(axis=0), axis=1)
                self.assertGreater(np.median(dist), 30, (split.name, image["id"]))

    def test_marked_split_differs_only_in_mark(self):
        plain, marked = self.splits["test"], self.splits["test-marked"]
        self.assertEqual(plain.coco["annotations"], marked.coco["annotations"])
        for image in plain.coco["images"]:
            self.assertNotIn("shortcut_mark", image)
            mimage = marked.images[image["id"]]
            self.assertEqual(mimage["shortcut_mark"], [float(v) for v in MARK_BOX])
            label = plain.categories[plain.anns[image["id"]][0]["category_id"]]
            self.assertEqual(mimage["shortcut_mark_class"], label)
            with Image.open(plain.path(image["file_name"])) as a, Image.open(marked.path(mimage["file_name"])) as b:
                pa, pb = np.asarray(a), np.asarray(b)
            x, y, bw, bh = MARK_BOX
            inside = np.zeros(pa.shape[:2], bool)
            inside[y:y + bh, x:x + bw] = True
            np.testing.assert_array_equal(pa[~inside], pb[~inside])
            self.assertTrue((pb[inside] == MARK_COLOURS[label]).all())
            for rel in ["masks/%s.png" % plain.stem(image)] + \
                       ["masks/%s_%d.png" % (plain.stem(image), k) for k in range(len(plain.anns[image["id"]]))]:
                np.testing.assert_array_equal(np.asarray(read_mask(plain.path(rel))),
                                              np.asarray(read_mask(marked.path(rel))))
        with open(plain.path("manifest.csv"), "rb") as f1, open(marked.path("manifest.csv"), "rb") as f2:
            self.assertEqual(f1.read(), f2.read())


class MultiClassSplitTest(unittest.TestCase):
    """test-multi: the contract of the multi-class split (fixtures/shapes/README.md). The formats
    themselves (masks, RLE, polygons, VOC, palette, manifest) are checked for every split above."""

    @classmethod
    def setUpClass(cls):
        cls.split = Split("test-multi")

    def classes_per_image(self):
        return {i: [self.split.categories[a["category_id"]] for a in anns] for i, anns in self.split.anns.items()}

    def test_files_per_image_and_object(self):
        split = self.split
        self.assertEqual(len(split.images), 60)
        self.assertEqual(len(os.listdir(split.path("images"))), 60)
        self.assertEqual(len(os.listdir(split.path("voc"))), 60)
        # one palette mask per image and one binary mask per object
        self.assertEqual(len(os.listdir(split.path("masks"))), 60 + len(split.coco["annotations"]))

    def test_two_or_three_objects_of_different_classes(self):
        for image_id, names in self.classes_per_image().items():
            self.assertIn(len(names), (2, 3), image_id)
            self.assertEqual(len(set(names)), len(names), (image_id, names))

    def test_every_pair_and_triple_six_times_and_every_class_in_36_images(self):
        combos = {}
        for names in self.classes_per_image().values():
            key = tuple(sorted(names, key=CLASSES.index))
            combos[key] = combos.get(key, 0) + 1
        self.assertEqual(len(combos), 6 + 4)  # the 6 pairs and 4 triples of 4 classes
        self.assertEqual(set(combos.values()), {6})
        self.assertEqual(sum(1 for names in self.classes_per_image().values() if len(names) == 2), 36)
        for name in CLASSES:
            self.assertEqual(sum(1 for names in self.classes_per_image().values() if name in names), 36, name)

    def test_every_size_fifteen_times(self):
        sizes = {}
        for image in self.split.coco["images"]:
            sizes[image["width"], image["height"]] = sizes.get((image["width"], image["height"]), 0) + 1
        self.assertEqual(sizes, {size: 15 for size in SIZES})

    def test_voc_and_manifest_name_the_same_classes_as_coco(self):
        with open(self.split.path("manifest.csv"), newline="") as f:
            rows = list(csv.reader(f))[1:]
        for image in self.split.coco["images"]:
            coco = [self.split.categories[a["category_id"]] for a in self.split.anns[image["id"]]]
            root = ET.parse(self.split.path("voc/%s.xml" % self.split.stem(image))).getroot()
            self.assertEqual([o.findtext("name") for o in root.findall("object")], coco)
            self.assertEqual([r[1] for r in rows if r[0] == image["file_name"]], coco)

    def test_palette_mask_holds_each_class_of_the_image(self):
        for image in self.split.coco["images"]:
            values = set(np.unique(np.asarray(read_mask(self.split.path("masks/%s.png" % self.split.stem(image))))))
            self.assertEqual(values, {0} | {a["category_id"] for a in self.split.anns[image["id"]]})

    def test_no_shortcut_mark(self):
        for image in self.split.coco["images"]:
            self.assertNotIn("shortcut_mark", image)

    def test_generator_refuses_a_marked_multi_class_split(self):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run([sys.executable, GENERATOR, "--out", out, "--splits", "", "--marked", "test-multi"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("several classes per image", r.stderr)

    def test_draw_multi_scene_is_seeded_and_draws_one_object_per_class(self):
        gen = load_generator()
        a = gen.draw_multi_scene(5, [3, 0, 2], (112, 80))
        b = gen.draw_multi_scene(5, [3, 0, 2], (112, 80))
        self.assertEqual(a.image.tobytes(), b.image.tobytes())
        self.assertEqual([o.label for o in a.objects], [3, 0, 2])
        self.assertIsNone(a.label)
        with self.assertRaises(ValueError):
            gen.draw_multi_scene(5, [1, 1], (112, 80))


class ObjectMarkedSplitTest(unittest.TestCase):
    """test-multi-marked: test-multi's classes and sizes per scene, and every object with two 5 x 5 marks
    of its class's colour just outside the top-left and bottom-right corners of its box."""

    @classmethod
    def setUpClass(cls):
        cls.split = Split("test-multi-marked")
        cls.plain = Split("test-multi")

    def test_the_plan_of_test_multi(self):
        for image in self.split.coco["images"]:
            other = self.plain.images[image["id"]]
            self.assertEqual((image["width"], image["height"]), (other["width"], other["height"]))
            self.assertEqual([a["category_id"] for a in self.split.anns[image["id"]]],
                             [a["category_id"] for a in self.plain.anns[image["id"]]])

    def test_two_marks_per_object_in_its_class_colour_outside_every_box(self):
        for image in self.split.coco["images"]:
            anns = self.split.anns[image["id"]]
            marks = image["object_marks"]
            self.assertEqual(len(marks), 2 * len(anns))
            with Image.open(self.split.path(image["file_name"])) as im:
                pixels = np.asarray(im.convert("RGB"))
            masks = self.split.object_masks(image)
            for k, ann in enumerate(anns):
                x, y, w, h = (int(v) for v in ann["bbox"])
                name = self.split.categories[ann["category_id"]]
                own = [m for m in marks if m["annotation_id"] == ann["id"]]
                self.assertEqual([m["bbox"] for m in own], [[x - 7.0, y - 7.0, 5.0, 5.0], [x + w + 2.0, y + h + 2.0, 5.0, 5.0]])
                self.assertEqual({m["class"] for m in own}, {name})
                for m in own:
                    mx, my, mw, mh = (int(v) for v in m["bbox"])
                    self.assertTrue((pixels[my:my + mh, mx:mx + mw] == MARK_COLOURS[name]).all())
                    for mask in masks:
                        self.assertFalse((mask[max(my - 1, 0):my + mh + 1, max(mx - 1, 0):mx + mw + 1] > 0).any(),
                                         "a mark touches an object")
            root = ET.parse(self.split.path("voc/%s.xml" % self.split.stem(image))).getroot()
            voc = [[int(e.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")] for e in root.findall("object_mark")]
            self.assertEqual(voc, [[int(m["bbox"][0]) + 1, int(m["bbox"][1]) + 1, int(m["bbox"][0] + m["bbox"][2]),
                                    int(m["bbox"][1] + m["bbox"][3])] for m in marks])

    def test_hidden_objects_show_the_background_and_keep_their_marks(self):
        gen = load_generator()
        shown = gen.draw_object_marked_scene([7, 7], [0, 3], (96, 96))
        hidden = gen.draw_object_marked_scene([7, 7], [0, 3], (96, 96), hidden=[True, False])
        a, b = np.asarray(shown.image), np.asarray(hidden.image)
        differs = np.any(a != b, axis=2)
        self.assertTrue(differs[shown.objects[0].mask].any())
        self.assertFalse(differs[~shown.objects[0].mask].any(), "only the hidden object's pixels change")
        self.assertEqual(shown.object_marks, hidden.object_marks)


class GeneratorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="shapes-test-")
        cls.a, cls.b = os.path.join(cls.tmp, "a"), os.path.join(cls.tmp, "b")
        run_generator(cls.a)
        run_generator(cls.b)
        # Written only when named (its scenes are redrawn until the marks fit: about 5 s), once.
        cls.marked = os.path.join(cls.tmp, "marked")
        run_generator(cls.marked, "--splits", "test-multi-marked", "--marked", "")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    @staticmethod
    def files(root):
        out = []
        for d, _, names in os.walk(root):
            out += [os.path.relpath(os.path.join(d, n), root) for n in names]
        return sorted(out)

    def test_two_runs_are_byte_identical(self):
        fa, fb = self.files(self.a), self.files(self.b)
        self.assertEqual(fa, fb)
        self.assertGreater(len(fa), 300)
        for rel in fa:
            with open(os.path.join(self.a, rel), "rb") as x, open(os.path.join(self.b, rel), "rb") as y:
                self.assertEqual(x.read(), y.read(), rel)

    def test_committed_fixture_is_current(self):
        # Pixels rather than PNG bytes, so a different zlib build does not fail this.
        committed = [f for f in self.files(FIXTURE)
                     if f.split(os.sep)[0] in COMMITTED_SPLITS]
        generated = sorted([f for f in self.files(self.a) if f.split(os.sep)[0] in COMMITTED_SPLITS]
                           + self.files(self.marked))
        self.assertEqual(committed, generated)
        for rel in committed:
            root = self.marked if rel.split(os.sep)[0] == "test-multi-marked" else self.a
            pa, pb = os.path.join(root, rel), os.path.join(FIXTURE, rel)
            if rel.endswith(".png"):
                ia, ib = read_mask(pa), read_mask(pb)
                self.assertEqual((ia.mode, ia.size, ia.getpalette()), (ib.mode, ib.size, ib.getpalette()), rel)
                np.testing.assert_array_equal(np.asarray(ia), np.asarray(ib), err_msg=rel)
            else:
                with open(pa, "rb") as x, open(pb, "rb") as y:
                    self.assertEqual(x.read(), y.read(), rel)

    def test_other_seed_changes_images(self):
        out = os.path.join(self.tmp, "seed2")
        run_generator(out, "--seed", "2", "--splits", "val", "--marked", "")
        self.assertEqual(sorted(os.listdir(out)), ["val"])
        with open(os.path.join(out, "val", "coco.json")) as f:
            self.assertEqual(json.load(f)["info"]["seed"], 2)
        with open(os.path.join(out, "val/images/0001.png"), "rb") as x, \
                open(os.path.join(self.a, "val/images/0001.png"), "rb") as y:
            self.assertNotEqual(x.read(), y.read())

    def test_train_only_on_request_and_git_ignored(self):
        self.assertNotIn("train", os.listdir(self.a))
        out = os.path.join(self.tmp, "train")
        run_generator(out, "--splits", "", "--marked", "train", "--train", "7")
        self.assertEqual(sorted(os.listdir(out)), ["train", "train-marked"])
        for name in ("train", "train-marked"):
            with open(os.path.join(out, name, "coco.json")) as f:
                self.assertEqual(len(json.load(f)["images"]), 7)
        if shutil.which("git") and os.path.isdir(os.path.join(ROOT, ".git")):
            for name in ("train", "train-marked"):
                rel = "fixtures/shapes/%s/images/0001.png" % name
                r = subprocess.run(["git", "-C", ROOT, "check-ignore", "-q", rel])
                self.assertEqual(r.returncode, 0, rel + " is not git-ignored")


class ModuleApiTest(unittest.TestCase):
    """What training scripts import."""

    @classmethod
    def setUpClass(cls):
        cls.gen = load_generator()

    def test_draw_scene_is_seeded(self):
        a = self.gen.draw_scene(123, 2, (112, 80), 2)
        b = self.gen.draw_scene(123, 2, (112, 80), 2)
        c = self.gen.draw_scene(124, 2, (112, 80), 2)
        self.assertEqual(a.image.size, (112, 80))
        self.assertEqual(a.image.tobytes(), b.image.tobytes())
        self.assertNotEqual(a.image.tobytes(), c.image.tobytes())
        self.assertEqual([o.label for o in a.objects], [2, 2])
        self.assertFalse((a.objects[0].mask & a.objects[1].mask).any())
        self.assertEqual(list(a.objects[0].box), tight_box(a.objects[0].mask))

    def test_add_shortcut_mark(self):
        scene = self.gen.draw_scene(9, 3, (96, 128), 1)
        for label, name in enumerate(CLASSES):
            marked, box = self.gen.add_shortcut_mark(scene.image, label)
            self.assertEqual(tuple(box), MARK_BOX)
            diff = np.any(np.asarray(marked) != np.asarray(scene.image), axis=2)
            x, y, bw, bh = box
            self.assertFalse(diff[:y, :].any() or diff[y + bh:, :].any() or diff[:, :x].any() or diff[:, x + bw:].any())
            self.assertTrue((np.asarray(marked)[y:y + bh, x:x + bw] == MARK_COLOURS[name]).all())
        with_mark = self.gen.draw_scene(9, 3, (96, 128), 1, mark=True)
        self.assertEqual(tuple(with_mark.mark), MARK_BOX)
        self.assertEqual(with_mark.image.tobytes(), self.gen.add_shortcut_mark(scene.image, 3)[0].tobytes())


if __name__ == "__main__":
    unittest.main()
