"""What the notes amount to against the qualification: flags, progress, gateway."""
