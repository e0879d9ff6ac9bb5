/**
 * The contrast stretch OCR wants (darkest 1% to black, lightest 1% to white), worked out from a
 * histogram of the greyscale pixels before the image is upscaled. sharp's `normalise()` computes
 * the same on the finished (upscaled) image in a second pass, which cost ~180 ms of a ~1 s page.
 */

export interface LinearMap {
  /** output = input × multiply + add, clipped to 0..255 */
  multiply: number;
  add: number;
}

const CLIP_FRACTION = 0.01;

/** The linear map for `pixels` (one byte each), or null when the page is one flat shade. */
export function findContrastStretch(pixels: Uint8Array): LinearMap | null {
  const histogram = new Uint32Array(256);
  for (let i = 0; i < pixels.length; i++) histogram[pixels[i]]++;
  const lowCount = pixels.length * CLIP_FRACTION;
  const highCount = pixels.length * (1 - CLIP_FRACTION);
  let low = 0;
  let high = 255;
  let seen = 0;
  for (let shade = 0; shade < 256; shade++) {
    seen += histogram[shade];
    if (seen <= lowCount) low = shade + 1;
    if (seen < highCount) high = shade + 1;
  }
  high = Math.min(255, high);
  low = Math.min(low, high);
  if (high - low < 1) return null;
  if (low === 0 && high === 255) return null;
  const multiply = 255 / (high - low);
  return { multiply, add: -low * multiply };
}
