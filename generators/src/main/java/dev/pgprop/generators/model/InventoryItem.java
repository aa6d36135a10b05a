package dev.pgprop.generators.model;

import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * A row of {@code inventory}: a SKU and its stock on hand. {@code allocated} is not part of it:
 * the allocations trigger maintains that column.
 *
 * <pre>{@code
 * InventoryItem item = new InventoryItem("SKU-000001", 5);
 * }</pre>
 *
 * @param sku {@code SKU-} and six digits ({@code inventory_sku_format})
 * @param onHand units on hand, at least 0 ({@code inventory_on_hand_nonneg})
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record InventoryItem(String sku, int onHand) {
    /** The format {@code inventory_sku_format} requires. */
    public static final Pattern SKU_FORMAT = Pattern.compile("^SKU-[0-9]{6}$");

    public InventoryItem {
        checkSku(sku, "sku");
        if (onHand < 0) {
            throw new IllegalArgumentException("on_hand " + onHand + " of " + sku
                    + " is negative; inventory_on_hand_nonneg requires 0 or more");
        }
    }

    /** Throws unless {@code sku} has the format of {@code inventory_sku_format}. */
    public static String checkSku(String sku, String what) {
        Objects.requireNonNull(sku, what);
        if (!SKU_FORMAT.matcher(sku).matches()) {
            throw new IllegalArgumentException(what + " '" + sku
                    + "' does not match ^SKU-[0-9]{6}$ (inventory_sku_format); use SKU- and six digits, such as SKU-000001");
        }
        return sku;
    }
}
