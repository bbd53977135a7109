"""The synthetic demo association behind `msm demo`.

blueprint (configuration as data) -> catalog (installs it) ; world (compiled model) ->
latent, activity, support, rules (one term of members) -> simulate (terms and renewals) ->
tables (import-format Arrow tables) -> generator (files, in chunks) -> services (build_demo)."""
