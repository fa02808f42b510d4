"""Draft specs from records kept elsewhere (a registry record): the way in for a trial
that exists only outside protocol-dsl."""
