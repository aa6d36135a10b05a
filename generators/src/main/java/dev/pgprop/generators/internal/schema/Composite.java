package dev.pgprop.generators.internal.schema;

import java.util.List;

/** A composite value while a dataset is drawn; written in the type's text form at the end. */
record Composite(List<Object> fields) {}
