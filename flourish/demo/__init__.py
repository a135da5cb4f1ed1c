"""`flourish demo`: the demo organisation, built from every app's own `demo` module. It is the
one app that depends on all the others, so that `flourish.core` depends on none."""
