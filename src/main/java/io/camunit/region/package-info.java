/**
 * Labelled regions and the readers of the annotation formats users already have: where an object
 * is ({@link io.camunit.region.Box}, {@link io.camunit.region.Polygon}, {@link io.camunit.region.Rle},
 * {@link io.camunit.region.MaskFile}, {@link io.camunit.region.Mask}), rasterised at the labelled
 * image's size and never resized, and data sets of labelled samples read from COCO, Pascal VOC,
 * YOLO and CSV/JSON manifests by {@link io.camunit.region.DatasetFormats}.
 *
 * <pre>{@code
 * LabeledDataset data = LabeledDataset.open(Path.of("fixtures/shapes/test/coco.json"));
 * for (LabeledSample s : data) {
 *     Mask object = s.mask();                        // the union of its objects
 *     InputImage image = s.image();                  // read now, not at open
 * }
 * }</pre>
 */
package io.camunit.region;
