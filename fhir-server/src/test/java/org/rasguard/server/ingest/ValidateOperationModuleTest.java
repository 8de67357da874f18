package org.rasguard.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** Which body of {@code $validate} is the resource to validate (FHIR R4 Resource-validate, its in-parameters). */
class ValidateOperationModuleTest {

    private static Parameters validateParameters() {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("resource").setResource(new Patient().setActive(true));
        parameters.addParameter().setName("mode").setValue(new StringType("create"));
        return parameters;
    }

    @Test
    void theResourceInParameterIsWhatIsValidated() {
        assertThat(ValidateOperationModule.resourceOfValidateParameters(validateParameters()))
                .isInstanceOf(Patient.class);
    }

    @Test
    void aParametersWithOtherParametersIsItselfTheResource() {
        Parameters parameters = validateParameters();
        parameters.addParameter().setName("comment").setValue(new StringType("x"));
        assertThat(ValidateOperationModule.resourceOfValidateParameters(parameters))
                .isNull();
    }

    @Test
    void aParameterWithoutANameIsNotAValidateParameterAndDoesNotThrow() {
        Parameters parameters = validateParameters();
        parameters.addParameter().setValue(new StringType("nameless"));
        assertThat(ValidateOperationModule.resourceOfValidateParameters(parameters))
                .isNull();
    }
}
