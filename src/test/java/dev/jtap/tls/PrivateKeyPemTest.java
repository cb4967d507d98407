package dev.jtap.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Keys as OpenSSL writes them, read back and checked against OpenSSL's own public key. */
class PrivateKeyPemTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SEC 1 EC key with parameters block | EC PRIVATE KEY | ecparam -name prime256v1 -genkey",
            "PKCS#1 RSA key                     | RSA PRIVATE KEY | genrsa -traditional 2048",
            "PKCS#8 EC key                      | PRIVATE KEY | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384",
            "PKCS#8 RSA key                     | PRIVATE KEY | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048",
            "PKCS#8 Ed25519 key                 | PRIVATE KEY | genpkey -algorithm ed25519"})
    void readsWhatOpenSslWrites(String description, String label, String opensslArguments) throws Exception {
        Path keyFile = dir.resolve("key.pem");
        openssl(keyFile, opensslArguments.split(" "));
        assertThat(Files.readString(keyFile)).contains("-----BEGIN " + label + "-----");
        PrivateKey key = PrivateKeyPem.read(keyFile);

        Path publicFile = dir.resolve("public.pem");
        openssl(publicFile, "pkey", "-in", keyFile.toString(), "-pubout");
        assertThat(signsFor(key, publicKey(publicFile, key.getAlgorithm()))).isTrue();
    }

    @Test
    void encryptedKeysAreRefusedInOneLine() throws Exception {
        Path pkcs8 = dir.resolve("pkcs8.pem");
        openssl(pkcs8, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret");
        Path legacy = dir.resolve("legacy.pem");
        openssl(legacy, "ec", "-in", pkcs8.toString(), "-passin", "pass:secret", "-aes256", "-passout", "pass:secret");
        for (Path file : List.of(pkcs8, legacy)) {
            assertThatThrownBy(() -> PrivateKeyPem.read(file)).isInstanceOf(IOException.class)
                    .hasMessage(file + ": encrypted keys are not supported");
        }
    }

    @Test
    void damagedKeysGiveOneLineErrorsNamingTheFile() throws Exception {
        Path file = dir.resolve("bad.pem");
        for (String text : List.of("", "not a key", "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n",
                "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
                "-----BEGIN PRIVATE KEY-----\n" + Base64.getEncoder().encodeToString(Der.sequence(Der.nullValue()))
                        + "\n-----END PRIVATE KEY-----\n")) {
            Files.writeString(file, text);
            assertThatThrownBy(() -> PrivateKeyPem.read(file)).as(text).isInstanceOf(IOException.class)
                    .hasMessageStartingWith(file.toString()).hasMessageNotContaining("\n");
        }
    }

    private static boolean signsFor(PrivateKey key, PublicKey publicKey) throws Exception {
        String algorithm = Keys.signatureAlgorithm(key);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update("probe".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update("probe".getBytes(StandardCharsets.US_ASCII));
        return verifier.verify(signature);
    }

    private static PublicKey publicKey(Path pem, String algorithm) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "");
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(Base64.getMimeDecoder().decode(base64.strip())));
    }

    private static void openssl(Path output, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", arguments[0], "-out", output.toString()));
        command.addAll(List.of(arguments).subList(1, arguments.length)); // genrsa wants its bit count last
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException missing) {
            assumeThat(false).as("openssl available").isTrue();
            return;
        }
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + log).isZero();
    }
}
