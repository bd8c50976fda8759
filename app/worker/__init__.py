"""The inbox worker: claims stored deliveries and turns them into comments."""
