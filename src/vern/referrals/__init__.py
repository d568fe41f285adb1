"""Two tiers working as one: the measure catalogue (tiltaksvifte) of every provider, referrals
(henvisning / bestilling) from a service's case to a provider, the provider's answer, and the
time-limited assignment (oppdrag) whose evaluations and final report go back to the case."""
