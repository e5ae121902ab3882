// A key ring: `kid:secret` entries; the first signs (or seals), every entry verifies (rotation with overlap).
// Parsed from the environment by the config sections that hold one (JWT, image URLs, image marks, webhooks).
export interface KeyEntry {
  kid: string;
  secret: string;
}
