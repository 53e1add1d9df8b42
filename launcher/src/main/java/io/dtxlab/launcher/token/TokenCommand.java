package io.dtxlab.launcher.token;

import io.dtxlab.launcher.UserError;
import io.dtxlab.launcher.workspace.DataDirOption;
import io.dtxlab.launcher.workspace.Tokens;
import io.dtxlab.launcher.workspace.Workspace;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Prints the token and nothing else, so {@code curl -H "X-Admin-Token: $(./dtx token admin)"} works.
 * It does not create tokens: a typo in {@code --data-dir} should fail, not mint a token nobody uses.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Prints the admin or cluster token of this data dir, alone on a line.")
public final class TokenCommand implements Callable<Integer> {

    @Mixin
    private DataDirOption dataDir;

    @Parameters(paramLabel = "admin|cluster", description = "Which token.")
    private String which;

    @Override
    public Integer call() throws IOException {
        Tokens.Kind kind = kind(which);
        Workspace workspace = dataDir.workspace();
        String token = Tokens.read(workspace.secretsDir(), kind).orElseThrow(() -> new UserError(
                "no " + which + " token in " + workspace.secretsDir() + " yet; ./dtx up" + workspace.dataDirArgument()
                        + " creates the tokens"));
        System.out.println(token);
        return 0;
    }

    static Tokens.Kind kind(String which) {
        switch (which.toLowerCase(Locale.ROOT)) {
            case "admin":
                return Tokens.Kind.ADMIN;
            case "cluster":
                return Tokens.Kind.CLUSTER;
            default:
                throw new UserError("unknown token '" + which + "': use admin or cluster", UserError.USAGE);
        }
    }
}
