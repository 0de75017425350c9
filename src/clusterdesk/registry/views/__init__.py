"""The registry's pages: the city's registry, 发文, 择优推荐; the public certified list."""
