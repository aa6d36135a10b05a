package dev.pgprop.properties.vector;

/** The vector property classes, for the meta-tests in another package. */
public final class VectorSearchPropertiesAccess {
    public static final Class<?> TYPE = VectorSearchProperties.class;

    private VectorSearchPropertiesAccess() {}
}
