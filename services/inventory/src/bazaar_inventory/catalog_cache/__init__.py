"""The catalog cache: public product reads kept per process, dropped on any product write.

``store`` is the bounded LRU of rendered bodies, ``runtime`` keeps it
listening for other processes' writes (the app resource), ``reads`` is what
the routes call. docs/architecture.md, "The catalog cache", says why it is
built this way.
"""
