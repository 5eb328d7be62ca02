from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app", min_length=6, max_length=6,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}", "autofocus": True,
        }),
        error_messages={"min_length": "Enter the six digits your app shows.",
                        "max_length": "Enter the six digits your app shows."},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError("Enter the six digits your app shows.")
        return code
