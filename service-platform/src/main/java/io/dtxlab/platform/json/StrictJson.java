package io.dtxlab.platform.json;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.cfg.MutableCoercionConfig;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON type rules of every node: a value must have the JSON type of the field it fills. The platform applies
 * them to Spring Boot's {@code JsonMapper} (so to every request and answer body, admin and internal ones included,
 * and to what nodes read from each other, from Kafka and from their logs).
 *
 * <p>Refused, as a 400 validation problem naming the field with rule {@code type} (e.g. field {@code quantity},
 * message {@code must be a JSON integer, not 2.5}):
 * <ul>
 *   <li>where an integer belongs ({@code int}, {@code long}, {@code Integer}, ...): a fraction ({@code 2.5}, also
 *       {@code 2.0} and {@code 1e3}), a string ({@code "3"}), a boolean, {@code ""}, or an integer out of range;</li>
 *   <li>where a number belongs ({@code BigDecimal}, {@code double}): a string ({@code "100.00"}), a boolean or
 *       {@code ""}; a JSON integer is a number, so {@code 5} fills a {@code BigDecimal} (as {@code 5}) as well as
 *       {@code 5.00} does (as {@code 5.00}, exactly as written: {@code spring.jackson.deserialization
 *       .use-big-decimal-for-floats});</li>
 *   <li>where a boolean belongs: a number ({@code 1}), a string ({@code "true"}) or {@code ""};</li>
 *   <li>where a string belongs: a number or a boolean ({@code 42}, {@code true});</li>
 *   <li>where an enum belongs: a number (Jackson would take it as the constant's index);</li>
 *   <li>{@code null}, or no value at all, for a primitive field ({@code int}, {@code boolean}): it is not made 0 or
 *       false (Jackson 3's default, kept explicitly).</li>
 * </ul>
 * Whether an object field is required, how many decimals money may have, and ranges are Bean Validation's
 * ({@code @NotNull}, {@code @Digits}, {@code @Max}, ...). Unknown fields are still ignored, so that nodes of
 * different versions can talk.
 */
public final class StrictJson {

    private StrictJson() {
    }

    /** Applies the rules above to {@code builder}; returns it. */
    public static JsonMapper.Builder strict(JsonMapper.Builder builder) {
        return builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .withCoercionConfig(LogicalType.Integer, c -> refuse(c,
                        CoercionInputShape.Float, CoercionInputShape.String, CoercionInputShape.Boolean,
                        CoercionInputShape.EmptyString))
                .withCoercionConfig(LogicalType.Float, c -> refuse(c,
                        CoercionInputShape.String, CoercionInputShape.Boolean, CoercionInputShape.EmptyString)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert))
                .withCoercionConfig(LogicalType.Boolean, c -> refuse(c,
                        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.String,
                        CoercionInputShape.EmptyString))
                .withCoercionConfig(LogicalType.Textual, c -> refuse(c,
                        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean))
                .withCoercionConfig(LogicalType.Enum, c -> refuse(c,
                        CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.EmptyString));
    }

    private static MutableCoercionConfig refuse(MutableCoercionConfig config, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) {
            config.setCoercion(shape, CoercionAction.Fail);
        }
        return config;
    }
}
