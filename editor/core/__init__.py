"""The newsroom domain: articles, import, rendering and the service seam. Never imports Qt."""
