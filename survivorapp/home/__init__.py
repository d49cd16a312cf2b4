"""Each role's home page, built from panels that the features register."""
