package org.mimobatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.mimobatch.pipeline.batch.Precision;
import org.mimobatch.pipeline.channel.DelayProfile;
import org.mimobatch.pipeline.refine.RefineMethod;

class ConfigNameTest {
  @Test
  void namesAreLowerCaseWithDashes() {
    assertEquals("tdl-a", DelayProfile.Kind.TDL_A.configName());
    assertEquals("gd-inverse", RefineMethod.GD_INVERSE.configName());
    assertEquals("refine_gd_inverse", RefineMethod.GD_INVERSE.columnPrefix());
    assertEquals(DelayProfile.Kind.EXPONENTIAL, ConfigName.parse(DelayProfile.Kind.class, "exponential"));
    assertEquals(Precision.SINGLE, ConfigName.parse(Precision.class, "single"));
  }

  @Test
  void everyConstantRoundTripsAndUnknownNamesListTheAllowedOnes() {
    for (RefineMethod m : RefineMethod.values()) {
      assertEquals(m, ConfigName.parse(RefineMethod.class, m.configName()));
    }
    assertEquals("double, single", ConfigName.allowed(Precision.class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigName.parse(DelayProfile.Kind.class, "TDL_A"));
    assertEquals("'TDL_A' is not allowed; allowed: tdl-a, exponential", e.getMessage());
  }
}
