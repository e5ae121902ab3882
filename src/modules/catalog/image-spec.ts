// The catalog's image spec: the sizes and formats a product image can be delivered in. Paid reads plan and
// price them, the images module renders them; both read them from here.
export const IMAGE_SIZES = ['thumb', 'small', 'medium', 'large', 'original'] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];
/** Longest side in pixels; null = the stored original. */
export const SIZE_PX: Record<ImageSize, number | null> = {
  thumb: 200,
  small: 400,
  medium: 800,
  large: 1200,
  original: null,
};

export const IMAGE_FORMATS = ['original', 'jpeg', 'png', 'webp', 'avif'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];
