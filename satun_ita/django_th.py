"""Django admin messages that Django 5.2's own Thai catalogue leaves untranslated.

Listed here (never called) so that `makemessages` keeps them in the portal's catalogue, whose
translations take precedence over Django's (LOCALE_PATHS): the admin is then Thai throughout,
including the messages shown after saving. Drop an entry once Django translates it.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_MESSAGES = [
    gettext_noop("Added “%(object)s”."),
    gettext_noop("Changed “%(object)s” — %(changes)s"),
    gettext_noop("Deleted “%(object)s.”"),
    gettext_noop("Added {name} “{object}”."),
    gettext_noop("Changed {fields} for {name} “{object}”."),
    gettext_noop("Deleted {name} “{object}”."),
    gettext_noop("Hold down “Control”, or “Command” on a Mac, to select more than one."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("We’re sorry, but the requested page could not be found."),
    gettext_noop(
        "There’s been an error. It’s been reported to the site administrators via email and should be fixed "
        "shortly. Thanks for your patience."
    ),
    gettext_noop("First, enter a username and password. Then, you’ll be able to edit more user options."),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop(
        "Something’s wrong with your database installation. Make sure the appropriate database tables have "
        "been created, and make sure the database is readable by the appropriate user."
    ),
    gettext_noop("This object doesn’t have a change history. It probably wasn’t added via this admin site."),
    gettext_noop(
        "Please enter your old password, for security’s sake, and then enter your new password twice so we can "
        "verify you typed it in correctly."
    ),
    gettext_noop(
        "We’ve emailed you instructions for setting your password, if an account exists with the email you "
        "entered. You should receive them shortly."
    ),
    gettext_noop(
        "If you don’t receive an email, please make sure you’ve entered the address you registered with, and "
        "check your spam folder."
    ),
    gettext_noop("Your username, in case you’ve forgotten:"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we’ll email instructions for setting a "
        "new one."
    ),
    gettext_noop("Clear all filters"),
    gettext_noop("Show counts"),
    gettext_noop("Hide counts"),
    gettext_noop("Error:"),
    gettext_noop("Thanks for spending some quality time with the web site today."),
]
