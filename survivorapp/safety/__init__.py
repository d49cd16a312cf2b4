"""Quick exit, the neutral cover screen, the installable app (manifest, service worker)."""
