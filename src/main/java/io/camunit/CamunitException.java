package io.camunit;

/**
 * The one error type camunit throws for bad input: a model, layer, image, target or option that
 * cannot be used. Its message names the thing, what was expected, what was found and what the user
 * can do about it.
 *
 * <pre>{@code
 * try {
 *     model.features(batch, "layer9");
 * } catch (CamunitException e) {
 *     // "Unknown layer 'layer9' in model tiny-cnn.pt: available layers are [features.4, features.9]"
 * }
 * }</pre>
 */
public class CamunitException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error with a complete, user-facing message.
     *
     * @param message what is wrong, what was expected and found, and what to do
     */
    public CamunitException(String message) {
        super(message);
    }

    /**
     * Creates the error with a complete message and the underlying cause, which is kept.
     *
     * @param message what is wrong, what was expected and found, and what to do
     * @param cause the exception that revealed the problem
     */
    public CamunitException(String message, Throwable cause) {
        super(message, cause);
    }
}
