"""Per-sample status, CTC-versus-primary discordance and the patient flags."""
