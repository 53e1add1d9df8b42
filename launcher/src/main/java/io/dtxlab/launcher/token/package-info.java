/** {@code ./dtx token admin|cluster}: prints one token alone, for {@code $(./dtx token admin)}. */
package io.dtxlab.launcher.token;
