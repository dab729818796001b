package io.serigraph.engine.composite;

/**
 * The Java compute backend ({@code java}): always available, ranked below an OpenCL GPU and above
 * an OpenCL CPU device ({@link CompositorProvider#RANK_JAVA}).
 */
public final class JavaCompositorProvider implements CompositorProvider {
    private static final Availability AVAILABLE = Availability.of(RANK_JAVA, "Java");

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Availability availability() {
        return AVAILABLE;
    }

    @Override
    public BatchCompositor open(int width, int height) {
        return new JavaBatchCompositor(width, height);
    }
}
