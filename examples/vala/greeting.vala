/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The greeting story, in Vala through hopscotch-1.vapi.
 *
 * A pluggable application ships Greeting; a local site replaces it with
 * AnotherGreeting for French customers. A registry is set up once at
 * startup; each request gets a child registry whose context is the
 * request's customer, and a Greeter built there gets its Greeting and its
 * Customer injected. It prints exactly what examples/greeting.c prints.
 *
 *   valac --pkg hopscotch-1 greeting.vala
 *
 * The classes live in namespace Ex, so their GType names (ExGreeting, ...)
 * are those of the C example.
 */

namespace Ex {
  /* Greeting, with a "salutation" property. */
  public class Greeting : Object {
    public string salutation { get; set; default = "Hello"; }
  }

  /* AnotherGreeting: the local site's replacement. */
  public class AnotherGreeting : Greeting {
    construct {
      salutation = "Another Hello";
    }
  }

  /* Customer, with a "first-name", and FrenchCustomer. */
  public class Customer : Object {
    public string first_name { get; set; }
  }

  public class FrenchCustomer : Customer {
  }

  /* Greeter: its "greeting" and "customer" are injected: they are its
   * dependencies, construct-only properties. */
  public class Greeter : Object {
    public Greeting greeting { get; construct; }
    public Customer customer { get; construct; }

    public string greet () {
      return "%s, %s!".printf (greeting.salutation, customer.first_name);
    }
  }

  void serve (Hs.Registry root, Customer customer) throws Error {
    /* One child registry per request, with the customer as its context. */
    var request = new Hs.Registry (root, customer);
    /* get () returns an Object: cast it to the kind asked for. */
    var greeter = (Greeter) request.get (typeof (Greeter));

    print ("%s: %s\n", customer.first_name, greeter.greet ());
  }

  int main () {
    Intl.setlocale (LocaleCategory.ALL, "");

    try {
      /* At startup: the application's Greeting, the site's replacement for
       * French customers, and the Greeter. */
      var root = new Hs.Registry ();
      root.register_type (typeof (Greeting));
      root.register_type (typeof (AnotherGreeting), typeof (Greeting), typeof (FrenchCustomer));
      root.register_type (typeof (Greeter));

      /* Per request. */
      serve (root, new Customer () { first_name = "Jill" });
      serve (root, new FrenchCustomer () { first_name = "Marie" });

      /* Props: values for the constructed type's properties. */
      var salutation = Value (typeof (string));
      salutation.set_string ("Hello Prop");
      var greeting = (Greeting) root.get_with_properties (typeof (Greeting), null,
                                                          { "salutation" }, { salutation });
      print ("props: %s\n", greeting.salutation);

      /* A singleton: the instance handed in is the answer. */
      var other = new Hs.Registry ();
      var singleton = new Greeting () { salutation = "I am a singleton" };
      other.register_instance (singleton);
      greeting = (Greeting) other.get (typeof (Greeting));
      /* lookup () names the registration that answers, without building
       * anything; its instance is the singleton (null for a type). */
      var registration = other.lookup (typeof (Greeting));
      Object? instance = registration != null ? registration.instance : null;
      print ("singleton: %s (the same object: %s)\n", greeting.salutation,
             greeting == singleton && instance == singleton ? "yes" : "no");

      /* Asking for what nobody registered is an error, not a crash. */
      try {
        other.get (typeof (Customer));
      } catch (Hs.RegistryError.NOT_FOUND error) {
        print ("error: %s\n", error.message);
      }
    } catch (Error error) {
      printerr ("greeting: %s\n", error.message);
      return 1;
    }
    return 0;
  }
}
