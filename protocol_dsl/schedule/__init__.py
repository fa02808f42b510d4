"""The planned time structure of a trial: dosing regimens expanded into administrations."""
