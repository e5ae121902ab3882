# GET /api/v1/image/{token}: redeem a signed image URL of a product read (one GET, 15 minutes, from the IP that
# bought it; no bearer token) and keep your own copy.
curl -sS --fail-with-body -o front.jpg "$SIGNED_URL"
