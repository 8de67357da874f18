package org.rasguard.knowledge;

import java.util.Objects;

/**
 * One code of a ValueSet: its system, code and display. Two codes are equal when system and code
 * are; the display is carried for name matching and card text only.
 */
public record Code(String system, String code, String display) {

    public Code {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(code, "code");
    }

    public boolean matches(String otherSystem, String otherCode) {
        return system.equals(otherSystem) && code.equals(otherCode);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Code c && system.equals(c.system) && code.equals(c.code);
    }

    @Override
    public int hashCode() {
        return Objects.hash(system, code);
    }
}
