// A module that cannot be loaded: `argmin --module` must say so and exit 2.
throw new Error('this module fails on import');
