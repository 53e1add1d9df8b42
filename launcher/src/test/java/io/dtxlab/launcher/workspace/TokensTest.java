package io.dtxlab.launcher.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    @TempDir
    Path dir;

    @Test
    void tokensAreCreatedOnceWithOwnerOnlyPermissionsAndReusedAfterwards() throws Exception {
        // given
        Path secrets = dir.resolve("secrets");
        // when
        Tokens first = Tokens.ensure(secrets);
        Tokens second = Tokens.ensure(secrets);
        // then
        assertThat(second).isEqualTo(first);
        assertThat(first.cluster()).isNotEqualTo(first.admin());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve("admin.token"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
        assertThat(Tokens.read(secrets, Tokens.Kind.ADMIN)).contains(first.admin());
    }

    @Test
    void aTokenIs32RandomBytesInUrlSafeBase64() {
        String token = Tokens.newToken();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Tokens.newToken()).isNotEqualTo(token);
    }

    @Test
    void noTokensAreReadWhereUpNeverRan() throws Exception {
        assertThat(Tokens.read(dir.resolve("secrets"))).isEmpty();
    }

    @Test
    void tokensDoNotLeakThroughToString() throws Exception {
        Tokens tokens = Tokens.ensure(dir.resolve("secrets"));

        assertThat(tokens.toString()).doesNotContain(tokens.admin()).doesNotContain(tokens.cluster());
    }
}
