"""House styles: the profile model, its loader and search path, and all house-style wording."""
