// A read plan: what one request (REST) or one operation (GraphQL) wants to read, per barcode, before
// anything is loaded or charged. Both doors build one with PlanBuilder; repeats merge, so the same product
// selected twice is billed once per distinct scope and image.
import type { ImageFormat, ImageSize, Variant } from '../catalog/index.ts';

export interface ImageWant {
  variant: Variant;
  size: ImageSize;
  format: ImageFormat;
}

/** One image URL is one delivered image: the same variant at another size/format is another image. */
export const imageKey = (w: ImageWant) => `${w.variant}|${w.size}|${w.format}`;

export interface ProductWant {
  gtin14: string;
  productMeta: boolean;
  imageMeta: boolean;
  /** Distinct by imageKey. */
  images: ImageWant[];
  /**
   * REST's rule: when images is the only scope, a product without one requested variant is
   * 404 variant_not_available rather than an empty answer.
   */
  imagesOnly: boolean;
}

export interface ReadPlan {
  products: ProductWant[];
  /** GTIN-14s whose existence is checked (products.bulk_check each), distinct. */
  bulkCheck: string[];
}

export class PlanBuilder {
  private readonly products = new Map<string, ProductWant>();
  private readonly bulk = new Set<string>();

  /** The merged want for a product; selecting nothing paid on it bills products.head. */
  product(gtin14: string): ProductWant {
    let w = this.products.get(gtin14);
    if (!w) {
      w = { gtin14, productMeta: false, imageMeta: false, images: [], imagesOnly: false };
      this.products.set(gtin14, w);
    }
    return w;
  }

  image(gtin14: string, want: ImageWant): void {
    const w = this.product(gtin14);
    if (!w.images.some((i) => imageKey(i) === imageKey(want))) w.images.push(want);
  }

  bulkCheck(gtin14: string): void {
    this.bulk.add(gtin14);
  }

  get barcodeCount(): number {
    return new Set([...this.products.keys(), ...this.bulk]).size;
  }

  build(): ReadPlan {
    return { products: [...this.products.values()], bulkCheck: [...this.bulk] };
  }
}
